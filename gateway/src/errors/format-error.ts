import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

/** Codes of the edge's own limits (see README). */
export const LIMIT_CODES = new Set([
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
]);

// graphql-js 16 spells it "more that".
const TOO_MANY_TOKENS = /Document contains more th(?:an|at) \d+ tokens/;

function limitCode(error: unknown): string | undefined {
  // Apollo wraps validation-rule errors as GRAPHQL_VALIDATION_FAILED; the armor rule's own error is the original.
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const code = original instanceof GraphQLError ? original.extensions['code'] : undefined;
  return typeof code === 'string' && LIMIT_CODES.has(code) ? code : undefined;
}

/**
 * The gateway's `formatError`. Errors from subgraphs arrive already made safe (each subgraph masks
 * its unexpected errors) and keep their `extensions.code`. The edge's own limit errors get their
 * specific code. Errors without a code are the gateway's own unexpected failures: masked in
 * production (they may name internal hosts). Production responses carry no stack traces.
 */
export function createGatewayFormatError(options: {
  production: boolean;
  onUnexpected?: (error: unknown) => void;
}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions: Record<string, unknown> = { ...formatted.extensions };
    if (options.production) {
      delete extensions['stacktrace'];
      delete extensions['exception'];
    }
    let code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
    if (code === 'GRAPHQL_VALIDATION_FAILED') code = limitCode(error) ?? code;
    if (code === 'GRAPHQL_PARSE_FAILED' && TOO_MANY_TOKENS.test(formatted.message))
      code = 'MAX_TOKENS_EXCEEDED';

    if (!code || (code === 'INTERNAL_SERVER_ERROR' && !extensions['serviceName'])) {
      options.onUnexpected?.(error);
      if (options.production) {
        return {
          message: 'Internal server error',
          ...(formatted.locations ? { locations: formatted.locations } : {}),
          ...(formatted.path ? { path: formatted.path } : {}),
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        };
      }
      code = 'INTERNAL_SERVER_ERROR';
    }
    if (code === 'DOWNSTREAM_SERVICE_ERROR' && options.production) {
      // Network failures towards a subgraph: the message would name internal hosts.
      return {
        ...formatted,
        message: 'A service needed for this request is unavailable.',
        extensions: { ...extensions, code },
      };
    }
    return { ...formatted, extensions: { ...extensions, code } };
  };
}
