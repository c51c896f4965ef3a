import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** The `extensions.code` of the first GraphQL error (identity's `TWO_FACTOR_REQUIRED`, `EMAIL_TAKEN`, …). */
export function errorCode(error: unknown): string | null {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors[0]?.extensions?.['code'];
    return typeof code === 'string' ? code : null;
  }
  if (ServerError.is(error)) return error.statusCode === 401 ? 'UNAUTHENTICATED' : 'SERVER_ERROR';
  return null;
}

/** The field an input error is about (`extensions.field`), if the server named one. */
export function errorField(error: unknown): string | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const field = error.errors[0]?.extensions?.['field'];
  return typeof field === 'string' ? field : null;
}

/** A message safe to show: the server's (typed errors carry safe messages) or a generic one. */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0]?.message ?? 'Something went wrong.';
  if (ServerError.is(error) && error.statusCode === 429)
    return 'Too many requests. Wait a moment and try again.';
  return 'The service could not be reached. Check your connection and try again.';
}
