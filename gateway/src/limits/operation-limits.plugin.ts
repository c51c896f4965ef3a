import type { ApolloServerPlugin } from '@apollo/server';
import type { Histogram } from 'prom-client';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { canIntrospect } from '../auth/principal.js';
import type { GatewayLimits } from '../environment.js';
import type { GatewayContext } from '../gateway-context.js';
import { calculateCost } from './cost.js';

function selectsIntrospection(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): boolean {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__schema' || selection.name.value === '__type') return true;
      if (selection.selectionSet && selectsIntrospection(selection.selectionSet, fragments, seen))
        return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selectsIntrospection(selection.selectionSet, fragments, seen)) return true;
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (seen.has(name) || !fragment) continue;
      seen.add(name);
      if (selectsIntrospection(fragment.selectionSet, fragments, seen)) return true;
    }
  }
  return false;
}

/** Does the operation ask for `__schema` or `__type` (`__typename` is fine)? */
export function usesIntrospection(
  document: DocumentNode,
  operation: { selectionSet: SelectionSetNode },
): boolean {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return selectsIntrospection(operation.selectionSet, fragments, new Set());
}

/**
 * Checks that need the caller or the variables, after validation and before any subgraph is called:
 * 1. introspection in production only for ADMIN users and API keys with the `introspection` scope (403 FORBIDDEN);
 * 2. every `first` within 0…maxFirst (400 BAD_USER_INPUT);
 * 3. the operation's cost within the caller's budget (400 COST_LIMIT_EXCEEDED).
 */
export function operationLimitsPlugin(options: {
  limits: GatewayLimits;
  production: boolean;
  costHistogram?: Histogram<'principal'>;
}): ApolloServerPlugin<GatewayContext> {
  const { limits } = options;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, operationName, request, schema }) {
          const principal = contextValue.principal;
          if (!operation) return; // Apollo rejects a missing operation before this hook
          if (!canIntrospect(principal, options.production) && usesIntrospection(document, operation)) {
            throw new GraphQLError('Introspection is not allowed for this caller.', {
              extensions: { code: 'FORBIDDEN', http: { status: 403 } },
            });
          }
          const { cost, invalidFirst } = calculateCost({
            schema,
            document,
            operationName,
            variables: request.variables ?? null,
            options: { defaultFirst: limits.defaultFirst, maxFirst: limits.maxFirst },
          });
          const bad = invalidFirst[0];
          if (bad) {
            throw new GraphQLError(
              `"first" must be between 0 and ${limits.maxFirst}, got ${bad.value} at ${bad.path}.`,
              {
                extensions: { code: 'BAD_USER_INPUT', field: 'first', path: bad.path, http: { status: 400 } },
              },
            );
          }
          const budget = principal.kind === 'apiKey' ? limits.maxCostApiKey : limits.maxCost;
          options.costHistogram?.observe({ principal: principal.kind }, cost);
          if (cost > budget) {
            throw new GraphQLError(`The operation's cost ${cost} exceeds the budget of ${budget}.`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', cost, budget, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
