import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError } from './domain-error.js';

const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: domain errors and GraphQL request errors keep their code and message;
 * validation errors from class-validator become BAD_USER_INPUT; everything else is masked
 * (and in production loses its stack trace).
 */
export function createFormatError(options: { production: boolean; onUnexpected?: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const extensions = { ...formatted.extensions };
    if (options.production) delete extensions['stacktrace'];

    if (original instanceof DomainError) {
      return { ...formatted, message: original.message, extensions };
    }
    if (original instanceof ArgumentValidationError) {
      const first = original.extensions.validationErrors?.[0];
      const constraint = first?.constraints ? Object.values(first.constraints)[0] : undefined;
      return {
        ...formatted,
        message: constraint ? `Invalid ${first?.property}: ${constraint}.` : 'Invalid input.',
        extensions: { code: 'BAD_USER_INPUT', field: first?.property },
      };
    }
    const code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
    if (code && PASS_THROUGH_CODES.has(code)) return { ...formatted, extensions };

    options.onUnexpected?.(original);
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: options.production
        ? { code: 'INTERNAL_SERVER_ERROR' }
        : { ...extensions, code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
