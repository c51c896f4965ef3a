import { describe, expect, it } from 'vitest';
import { APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, preferredGraphqlMediaType } from './media-type.js';

describe('preferredGraphqlMediaType', () => {
  it('defaults to application/json without an Accept header or with */*', () => {
    expect(preferredGraphqlMediaType(undefined)).toBe(APPLICATION_JSON);
    expect(preferredGraphqlMediaType('*/*')).toBe(APPLICATION_JSON);
  });

  it('follows quality and header order', () => {
    expect(preferredGraphqlMediaType('application/graphql-response+json')).toBe(GRAPHQL_RESPONSE_JSON);
    expect(preferredGraphqlMediaType('application/graphql-response+json, application/json')).toBe(
      GRAPHQL_RESPONSE_JSON,
    );
    expect(preferredGraphqlMediaType('application/json, application/graphql-response+json')).toBe(
      APPLICATION_JSON,
    );
    expect(preferredGraphqlMediaType('application/json;q=0.9, application/graphql-response+json')).toBe(
      GRAPHQL_RESPONSE_JSON,
    );
    expect(preferredGraphqlMediaType('application/graphql-response+json, */*;q=0.5')).toBe(
      GRAPHQL_RESPONSE_JSON,
    );
  });

  it('returns null when nothing JSON is acceptable', () => {
    expect(preferredGraphqlMediaType('text/html')).toBeNull();
    expect(preferredGraphqlMediaType('application/json;q=0')).toBeNull();
  });
});
