import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { GatewayLimits } from '../environment.js';
import type { GatewayContext } from '../gateway-context.js';

type RejectConfig = {
  propagateOnRejection: false;
  onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[];
};

/** Report the rejection as a validation error carrying the limit's own code (restored by formatError). */
function rejectWith(code: string): RejectConfig {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } }),
        );
      },
    ],
  };
}

export type ArmorProtection = {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<GatewayContext>[];
};

/**
 * graphql-armor with explicit limits: depth (introspection's `__schema` subtree excluded), aliases
 * (`__typename` aliases counted), directives, and — in production — masked field suggestions.
 * Token counting is graphql-js's own `maxTokens` parse option (armor's Apollo token plugin throws
 * from a hook Apollo treats as an internal error); armor's cost limit is replaced by our cost plugin.
 */
export function createArmor(limits: GatewayLimits, production: boolean): ArmorProtection {
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      exposeLimits: true,
      ...rejectWith('MAX_DEPTH_EXCEEDED'),
    },
    maxAliases: {
      n: limits.maxAliases,
      allowList: [],
      exposeLimits: true,
      ...rejectWith('MAX_ALIASES_EXCEEDED'),
    },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true, ...rejectWith('MAX_DIRECTIVES_EXCEEDED') },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const { validationRules, plugins } = armor.protect();
  // armor is CommonJS and types its plugins against Apollo's CJS declarations; they are context-agnostic.
  return {
    validationRules: validationRules as ValidationRule[],
    plugins: (plugins ?? []) as unknown as ApolloServerPlugin<GatewayContext>[],
  };
}
