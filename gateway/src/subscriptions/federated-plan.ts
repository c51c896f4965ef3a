import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import {
  QueryPlanner,
  type FetchNode,
  type PlanNode,
  type QueryPlanSelectionNode,
} from '@apollo/query-planner';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type Json = Record<string, unknown>;

/** A planned subscription: the primary fetch goes to the owning subgraph, `rest` runs per event. */
export type SubscriptionPlan = {
  primary: FetchNode;
  rest: PlanNode | undefined;
};

export type FederatedPlanner = {
  /** The client-facing (API) schema: validation, cost and result shaping run against it. */
  apiSchema: GraphQLSchema;
  plan: (document: DocumentNode, operationName: string | undefined) => SubscriptionPlan;
};

/** Plans subscriptions over the supergraph with Apollo's query planner (the one @apollo/gateway uses). */
export function createFederatedPlanner(supergraphSdl: string): FederatedPlanner {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const planner = new QueryPlanner(supergraph);
  return {
    apiSchema: apiSchema.toGraphQLJSSchema(),
    plan(document, operationName) {
      const operation = operationFromDocument(apiSchema, document, operationName ? { operationName } : {});
      const plan = planner.buildQueryPlan(operation);
      if (plan.node?.kind !== 'Subscription') throw new Error('Not a subscription plan.');
      return { primary: plan.node.primary, rest: plan.node.rest };
    },
  };
}

/** POSTs a subgraph operation (the caller adds the forwarded headers). */
export type SubgraphFetcher = (
  serviceName: string,
  body: { query: string; operationName?: string | undefined; variables: Json },
) => Promise<{ data?: Json | null; errors?: GraphQLFormattedError[] }>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(target: Json, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) deepMerge(existing, value);
    else if (Array.isArray(existing) && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isObject(existing[i]) && isObject(item)) deepMerge(existing[i] as Json, item);
        else existing[i] = item;
      });
    } else target[key] = value;
  }
}

function collectAtPath(entities: unknown[], path: (string | number)[]): Json[] {
  let current: unknown[] = entities;
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment === '@') {
        if (Array.isArray(value)) next.push(...value);
      } else if (isObject(value) && value[String(segment)] !== undefined && value[String(segment)] !== null) {
        next.push(value[String(segment)]);
      }
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value])).filter(isObject);
}

/** The representation of an entity: the fields of the fetch's `requires` selection. */
function project(entity: Json, selections: readonly QueryPlanSelectionNode[]): Json | null {
  const result: Json = {};
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      if (selection.typeCondition && entity['__typename'] !== selection.typeCondition) continue;
      const inner = project(entity, selection.selections);
      if (inner === null) return null;
      Object.assign(result, inner);
      continue;
    }
    const key = selection.alias ?? selection.name;
    const value = entity[key];
    if (value === undefined) return null; // an entity missing a key field cannot be resolved
    if (selection.selections && value !== null) {
      result[selection.name] = Array.isArray(value)
        ? value.map((v) => (isObject(v) ? project(v, selection.selections ?? []) : v))
        : isObject(value)
          ? project(value, selection.selections)
          : value;
    } else {
      result[selection.name] = value;
    }
  }
  return Object.keys(result).length > 0 ? result : null;
}

/**
 * Runs the `rest` of a subscription plan for one event: `Flatten` collects the entities at its path,
 * `Fetch` sends their representations (`requires`) to the owning subgraph as `_entities` and merges
 * the answers back; `Sequence`/`Parallel` order the steps. Errors are collected, not thrown.
 */
export async function executeRest(
  node: PlanNode,
  data: Json,
  variables: Json,
  fetcher: SubgraphFetcher,
): Promise<GraphQLFormattedError[]> {
  const errors: GraphQLFormattedError[] = [];
  const run = async (current: PlanNode, entities: Json[], path: (string | number)[]): Promise<void> => {
    switch (current.kind) {
      case 'Sequence':
        for (const child of current.nodes) await run(child, entities, path);
        return;
      case 'Parallel':
        await Promise.all(current.nodes.map((child) => run(child, entities, path)));
        return;
      case 'Flatten':
        await run(current.node, collectAtPath(entities, current.path), [...path, ...current.path]);
        return;
      case 'Fetch':
        await fetchInto(current, entities, path);
        return;
      default:
        errors.push({
          message: `Plan node ${current.kind} is not supported in subscriptions.`,
          extensions: { code: 'UNSUPPORTED_PLAN' },
        });
    }
  };
  const fetchInto = async (fetch: FetchNode, entities: Json[], path: (string | number)[]) => {
    const ownVariables: Json = {};
    for (const name of fetch.variableUsages ?? [])
      if (name in variables) ownVariables[name] = variables[name];
    try {
      if (!fetch.requires) {
        const result = await fetcher(fetch.serviceName, {
          query: fetch.operation,
          operationName: fetch.operationName,
          variables: ownVariables,
        });
        for (const entity of entities) if (result.data) deepMerge(entity, result.data);
        errors.push(...(result.errors ?? []));
        return;
      }
      const targets: Json[] = [];
      const representations: Json[] = [];
      for (const entity of entities) {
        const representation = project(entity, fetch.requires);
        if (!representation) continue;
        targets.push(entity);
        representations.push(representation);
      }
      if (representations.length === 0) return;
      const result = await fetcher(fetch.serviceName, {
        query: fetch.operation,
        operationName: fetch.operationName,
        variables: { ...ownVariables, representations },
      });
      const answers = result.data?.['_entities'];
      if (Array.isArray(answers)) {
        answers.forEach((answer, i) => {
          const target = targets[i];
          if (target && isObject(answer)) deepMerge(target, answer);
        });
      }
      for (const error of result.errors ?? []) {
        errors.push({
          ...error,
          path: path.map((p) => (p === '@' ? 0 : p)),
          extensions: { ...error.extensions, serviceName: fetch.serviceName },
        });
      }
    } catch (error) {
      errors.push({
        message: `Could not reach subgraph ${fetch.serviceName}: ${error instanceof Error ? error.message : String(error)}`,
        path: path.filter((p) => p !== '@'),
        extensions: { code: 'SUBREQUEST_FAILED', serviceName: fetch.serviceName },
      });
    }
  };
  await run(node, [data], []);
  return errors;
}

const NULL_BUBBLE = Symbol('null');

/**
 * Projects merged event data onto the client's operation: only the requested fields under their
 * response names (aliases), `__typename` filled in, fragments applied by runtime type, and a null in a
 * non-null position nulls the nearest nullable parent (like graphql-js execution).
 */
export function shapeResult(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Json,
): Json | null {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const root = schema.getSubscriptionType();
  if (!root) return null;

  const applies = (typeCondition: string | undefined, runtimeType: string): boolean => {
    if (!typeCondition || typeCondition === runtimeType) return true;
    const condition = schema.getType(typeCondition);
    const runtime = schema.getType(runtimeType);
    return (
      !!condition &&
      isAbstractType(condition) &&
      isObjectType(runtime) &&
      schema.isSubType(condition, runtime)
    );
  };

  const shapeSet = (set: SelectionSetNode, typeName: string, source: Json): Json | typeof NULL_BUBBLE => {
    const out: Json = {};
    const type = schema.getType(typeName);
    const fields = isObjectType(type) ? type.getFields() : {};
    const walk = (selections: SelectionSetNode): boolean => {
      for (const selection of selections.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (applies(selection.typeCondition?.name.value, typeName) && !walk(selection.selectionSet))
            return false;
          continue;
        }
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          if (
            fragment &&
            applies(fragment.typeCondition.name.value, typeName) &&
            !walk(fragment.selectionSet)
          )
            return false;
          continue;
        }
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === '__typename') {
          out[key] = typeName;
          continue;
        }
        const field = fields[selection.name.value];
        if (!field) continue;
        const raw = source[key] ?? source[selection.name.value];
        const value = shapeValue(field.type, raw, selection.selectionSet);
        if (value === NULL_BUBBLE) return false;
        if (key in out && isObject(out[key]) && isObject(value)) deepMerge(out[key] as Json, value);
        else out[key] = value;
      }
      return true;
    };
    return walk(set) ? out : NULL_BUBBLE;
  };

  const shapeValue = (type: GraphQLOutputType, raw: unknown, set: SelectionSetNode | undefined): unknown => {
    if (raw === null || raw === undefined) return isNonNullType(type) ? NULL_BUBBLE : null;
    const inner = getNullableType(type);
    let value: unknown;
    if (isListType(inner)) {
      if (!Array.isArray(raw)) return isNonNullType(type) ? NULL_BUBBLE : null;
      const items = raw.map((item) => shapeValue(inner.ofType as GraphQLOutputType, item, set));
      value = items.includes(NULL_BUBBLE) ? NULL_BUBBLE : items;
    } else if (set && isObject(raw)) {
      const named = getNamedType(inner);
      const runtime = typeof raw['__typename'] === 'string' ? raw['__typename'] : named.name;
      value = shapeSet(set, runtime, raw);
    } else {
      value = raw;
    }
    if (value === NULL_BUBBLE) return isNonNullType(type) ? NULL_BUBBLE : null;
    return value;
  };

  const shaped = shapeSet(operation.selectionSet, root.name, data);
  return shaped === NULL_BUBBLE ? null : shaped;
}
