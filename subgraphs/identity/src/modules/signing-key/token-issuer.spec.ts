import { describe, expect, it } from 'vitest';
import { apiKeyAccessClaims, userAccessClaims } from './token-issuer.js';

describe('access token claims', () => {
  it('user tokens carry sid, roles and a 10-minute lifetime', () => {
    expect(
      userAccessClaims({ userId: 'u', sessionId: 's', roles: ['LEARNER', 'ADMIN'], issuedAt: 1000 }),
    ).toEqual({
      sid: 's',
      roles: ['LEARNER', 'ADMIN'],
      iat: 1000,
      exp: 1600,
    });
  });

  it('API-key tokens have no sid, no roles, space-separated scopes and akid', () => {
    const claims = apiKeyAccessClaims({
      apiKeyId: 'k',
      scopes: ['read:public', 'introspection'],
      issuedAt: 1000,
    });
    expect(claims).toEqual({
      akid: 'k',
      scope: 'read:public introspection',
      roles: [],
      iat: 1000,
      exp: 1600,
    });
    expect(claims).not.toHaveProperty('sid');
  });
});
