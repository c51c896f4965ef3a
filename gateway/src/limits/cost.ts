import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export type CostOptions = {
  /** `first` assumed on connection fields (and list fields taking `first`) that do not pass one. */
  defaultFirst: number;
  /** Largest `first` accepted; larger values are reported in `invalidFirst`. */
  maxFirst: number;
};

export type InvalidFirst = { path: string; value: number };

export type CostResult = {
  cost: number;
  /** `first` values above `maxFirst` or below 0, with the response path of the field. */
  invalidFirst: InvalidFirst[];
};

type Walk = {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  options: CostOptions;
  invalidFirst: InvalidFirst[];
};

/** `XyzConnection` object types are Relay connections. */
function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return isObjectType(type) && type.name.endsWith('Connection');
}

function included(walk: Walk, node: { readonly directives?: FieldNode['directives'] }): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, walk.variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, walk.variables);
  return include?.['if'] !== false;
}

/** The `first` this field will be asked for: the literal/variable value, else the default for paginated fields. */
function pageSize(
  walk: Walk,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  path: string,
): number | null {
  const argument = field.args.find((a) => a.name === 'first');
  const paginated =
    isConnectionField(field) || (argument !== undefined && isListType(getNullableType(field.type)));
  if (!argument) return paginated ? walk.options.defaultFirst : null;
  const argNode = node.arguments?.find((a) => a.name.value === 'first');
  const raw: unknown = argNode
    ? valueFromAST(argNode.value, argument.type, walk.variables)
    : argument.defaultValue;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return paginated ? walk.options.defaultFirst : null;
  if (raw > walk.options.maxFirst || raw < 0) walk.invalidFirst.push({ path, value: raw });
  return paginated ? Math.max(0, Math.min(raw, walk.options.maxFirst)) : null;
}

function selectionSetCost(
  walk: Walk,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  path: string,
): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (!included(walk, selection)) continue;
    switch (selection.kind) {
      case Kind.FIELD: {
        const name = selection.name.value;
        if (name === '__typename') break;
        const fieldPath = `${path}${path ? '.' : ''}${selection.alias?.value ?? name}`;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (name === '__schema' || name === '__type') {
          const introspectionType =
            name === '__schema' ? walk.schema.getType('__Schema') : walk.schema.getType('__Type');
          cost += 1;
          if (selection.selectionSet && introspectionType && isCompositeType(introspectionType)) {
            cost += selectionSetCost(walk, introspectionType, selection.selectionSet, fieldPath);
          }
          break;
        }
        if (!field) {
          cost += 1; // unknown fields cannot pass validation; count them anyway
          break;
        }
        const first = pageSize(walk, field, selection, fieldPath);
        const named = getNamedType(field.type);
        const childCost =
          selection.selectionSet && isCompositeType(named)
            ? selectionSetCost(walk, named, selection.selectionSet, fieldPath)
            : 0;
        cost += 1 + (first ?? 1) * childCost;
        break;
      }
      case Kind.INLINE_FRAGMENT: {
        const condition = selection.typeCondition
          ? walk.schema.getType(selection.typeCondition.name.value)
          : parent;
        const type = condition && isCompositeType(condition) ? condition : parent;
        cost += selectionSetCost(walk, type, selection.selectionSet, path);
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const fragment = walk.fragments.get(selection.name.value);
        if (!fragment) break;
        const condition = walk.schema.getType(fragment.typeCondition.name.value);
        const type = condition && isCompositeType(condition) ? condition : parent;
        cost += selectionSetCost(walk, type, fragment.selectionSet, path);
        break;
      }
    }
  }
  return cost;
}

export function selectOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | null {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName) ?? null;
  return operations.length === 1 ? (operations[0] ?? null) : null;
}

/**
 * Static cost of an operation with its variables: every field costs 1 (`__typename` 0); the
 * subtree of a paginated field (a `…Connection`, or a list taking `first`) is multiplied by its
 * `first` (literal, variable or default; `defaultFirst` when absent). Fragments are expanded at
 * every use, alternatives on abstract types are summed (an upper bound), `@skip`/`@include` are honoured.
 * The document must have passed validation (no fragment cycles).
 */
export function calculateCost(input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  options: CostOptions;
}): CostResult {
  const operation = selectOperation(input.document, input.operationName);
  if (!operation) return { cost: 0, invalidFirst: [] };
  const root = input.schema.getRootType(operation.operation);
  if (!root) return { cost: 0, invalidFirst: [] };
  const coerced = getVariableValues(input.schema, operation.variableDefinitions ?? [], input.variables ?? {});
  // Bad variables fail execution with their own error; cost them with their defaults meanwhile.
  const variables = 'coerced' in coerced && coerced.coerced ? coerced.coerced : {};
  const fragments = new Map(
    input.document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const walk: Walk = { schema: input.schema, fragments, variables, options: input.options, invalidFirst: [] };
  return { cost: selectionSetCost(walk, root, operation.selectionSet, ''), invalidFirst: walk.invalidFirst };
}
