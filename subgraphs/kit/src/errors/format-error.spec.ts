import { ApolloServer } from '@apollo/server';
import { ValidationError } from 'class-validator';
import {
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFormattedError,
} from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError, ForbiddenError, NotFoundError } from './domain-error.js';
import { createFormatError } from './format-error.js';

/** What Apollo hands to formatError for an error thrown in a resolver at `path`. */
function resolverError(
  original: Error,
  path: string[] = ['field'],
): { formatted: GraphQLFormattedError; error: GraphQLError } {
  const error = new GraphQLError(original.message, {
    path,
    originalError: original,
    extensions: original instanceof GraphQLError ? original.extensions : {},
  });
  const formatted: GraphQLFormattedError = {
    ...error.toJSON(),
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      ...error.extensions,
      stacktrace: (original.stack ?? '').split('\n'),
    },
  };
  return { formatted, error };
}

describe('createFormatError', () => {
  it('passes a domain error through with its code, message, details and path', () => {
    const format = createFormatError({ production: true });
    const { formatted, error } = resolverError(new NotFoundError('Course'), ['course']);
    expect(format(formatted, error)).toEqual({
      message: 'Course was not found.',
      path: ['course'],
      extensions: { code: 'NOT_FOUND' },
    });
    const bad = resolverError(new BadUserInputError('Title is too long.', 'title'));
    expect(format(bad.formatted, bad.error)).toMatchObject({
      message: 'Title is too long.',
      extensions: { code: 'BAD_USER_INPUT', field: 'title' },
    });
  });

  it('masks an unexpected error, reports it, and drops the stack trace in production', () => {
    const reported: unknown[] = [];
    const format = createFormatError({ production: true, onUnexpected: (e) => reported.push(e) });
    const secret = new Error('connection to postgres://admin:hunter2@db failed');
    const { formatted, error } = resolverError(secret, ['orders']);
    const result = format(formatted, error);
    expect(result).toEqual({
      message: 'Internal server error',
      path: ['orders'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(reported).toEqual([secret]);
  });

  it('masks the message but keeps the stack trace in development', () => {
    const format = createFormatError({ production: false });
    const { formatted, error } = resolverError(new TypeError('Cannot read properties of undefined'));
    const result = format(formatted, error);
    expect(result.message).toBe('Internal server error');
    expect(result.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    expect(Array.isArray(result.extensions?.['stacktrace'])).toBe(true);
  });

  it('removes the stack trace of domain errors in production only', () => {
    const { formatted, error } = resolverError(new ForbiddenError());
    expect(createFormatError({ production: true })(formatted, error).extensions).toEqual({
      code: 'FORBIDDEN',
    });
    expect(
      createFormatError({ production: false })(formatted, error).extensions?.['stacktrace'],
    ).toBeDefined();
  });

  it('does not trust a code set on a non-domain error (e.g. a library GraphQLError claiming FORBIDDEN)', () => {
    const format = createFormatError({ production: true });
    const { formatted, error } = resolverError(
      new GraphQLError('internal detail', { extensions: { code: 'FORBIDDEN' } }),
    );
    expect(format(formatted, error)).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps GraphQL request errors (validation, parse) as they are', () => {
    const format = createFormatError({ production: true });
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(format({ ...error.toJSON(), extensions: { ...error.extensions } }, error)).toMatchObject({
      message: 'Cannot query field "nope" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('turns class-validator argument errors into BAD_USER_INPUT naming the field, without internals', () => {
    const format = createFormatError({ production: true });
    const validation = Object.assign(new ValidationError(), {
      property: 'email',
      value: 'nope',
      constraints: { isEmail: 'email must be an email' },
    });
    const { formatted, error } = resolverError(new ArgumentValidationError([validation]));
    expect(format(formatted, error)).toEqual({
      ...formatted,
      message: 'Invalid email: email must be an email.',
      extensions: { code: 'BAD_USER_INPUT', field: 'email' },
    });
  });

  it('works inside Apollo Server: domain errors visible, unexpected ones masked, no stack traces', async () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          course: {
            type: GraphQLString,
            resolve: () => {
              throw new NotFoundError('Course');
            },
          },
          boom: {
            type: GraphQLString,
            resolve: () => {
              throw new Error('SELECT * FROM secrets failed');
            },
          },
        },
      }),
    });
    const server = new ApolloServer({
      schema,
      includeStacktraceInErrorResponses: false,
      formatError: createFormatError({ production: true }),
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ course boom }' });
      expect(response.body.kind).toBe('single');
      const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
      const byPath = new Map((errors ?? []).map((e) => [e.path?.[0], e]));
      expect(byPath.get('course')).toMatchObject({
        message: 'Course was not found.',
        extensions: { code: 'NOT_FOUND' },
      });
      expect(byPath.get('boom')).toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(errors)).not.toMatch(/secrets|stacktrace/);
    } finally {
      await server.stop();
    }
  });
});
