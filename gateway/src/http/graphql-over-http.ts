import type { ApolloServerPlugin } from '@apollo/server';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, preferredGraphqlMediaType } from './media-type.js';

export type JsonError = { message: string; extensions: { code: string } & Record<string, unknown> };

/** Answers a request the GraphQL layer never saw (body too large, bad JSON, rate limited) in GraphQL's error shape. */
export function sendGraphqlErrors(
  req: Request,
  res: Response,
  status: number,
  errors: JsonError[],
  headers: Record<string, string> = {},
): void {
  const mediaType = preferredGraphqlMediaType(req.headers.accept) ?? APPLICATION_JSON;
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', `${mediaType}; charset=utf-8`);
  res.send(JSON.stringify({ errors }));
}

/**
 * Body parsing for /graphql: JSON only, limited in size. Other content types reach Apollo with an
 * empty body, so its CSRF prevention rejects simple (form/text) POSTs and a missing body is a 400
 * rather than Apollo's "forgot the json middleware" 500.
 */
export function graphqlBodyParser(limitBytes: number): RequestHandler[] {
  return [
    express.json({ limit: limitBytes, type: ['application/json', 'application/*+json'] }),
    (req, _res, next) => {
      if (req.body === undefined) req.body = {};
      next();
    },
  ];
}

/** Body parser and other HTTP-level failures → a GraphQL-shaped error with the right status. */
export function graphqlHttpErrorHandler(onUnexpected: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = httpStatusOf(error);
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
    if (status === 413) {
      sendGraphqlErrors(req, res, 413, [
        { message: 'The request body is too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
      ]);
    } else if (type === 'entity.parse.failed') {
      sendGraphqlErrors(req, res, 400, [
        { message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } },
      ]);
    } else if (status >= 400 && status < 500) {
      sendGraphqlErrors(req, res, status, [
        { message: 'The request could not be read.', extensions: { code: 'BAD_REQUEST' } },
      ]);
    } else {
      onUnexpected(error);
      sendGraphqlErrors(req, res, 500, [
        { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
    }
  };
}

function httpStatusOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const status = 'status' in error ? error.status : 'statusCode' in error ? error.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** Codes of errors raised before execution because the document or its variables were rejected. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
]);

/**
 * GraphQL over HTTP: with `application/json` a well-formed request SHOULD get 200 even when the
 * document fails to parse or validate (legacy clients read the body); with
 * `application/graphql-response+json` such failures are 400 (Apollo's default). Statuses that
 * mean something else (401, 403, 413, 429…) are kept.
 */
export function graphqlResponseStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.body.kind !== 'single') return;
          const mediaType = preferredGraphqlMediaType(request.http?.headers.get('accept'));
          if (mediaType === null) return;
          response.http.headers.set('content-type', `${mediaType}; charset=utf-8`);
          const { data, errors } = response.body.singleResult;
          if (data !== undefined || !errors?.length) return;
          const status = response.http.status ?? 200;
          if (mediaType === GRAPHQL_RESPONSE_JSON) {
            // No data → MUST be 4xx/5xx (Apollo answers unsupported persisted queries with 200).
            if (status < 400) response.http.status = 400;
          } else if (
            status === 400 &&
            errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.['code'])))
          ) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}
