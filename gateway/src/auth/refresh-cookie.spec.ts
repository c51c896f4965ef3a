import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  readRefreshCookie,
  refreshCookieName,
  serializeRefreshCookie,
  takeRefreshToken,
  type RefreshCookieSettings,
} from './refresh-cookie.js';

const local: RefreshCookieSettings = { enabled: true, secure: false, maxAgeSeconds: 600 };
const production: RefreshCookieSettings = { ...local, secure: true };

function operation(source: string): OperationDefinitionNode {
  const definition = parse(source).definitions[0];
  if (definition?.kind !== 'OperationDefinition') throw new Error('not an operation');
  return definition;
}

describe('refresh cookie', () => {
  it('is httpOnly, SameSite=Strict and scoped to /auth; Secure with the __Secure- prefix in production', () => {
    expect(serializeRefreshCookie(local, 'a b/c')).toBe(
      'edugraph_refresh=a%20b%2Fc; Path=/auth; HttpOnly; SameSite=Strict; Max-Age=600',
    );
    expect(serializeRefreshCookie(production, 'tok')).toBe(
      '__Secure-edugraph_refresh=tok; Path=/auth; HttpOnly; SameSite=Strict; Max-Age=600; Secure',
    );
    expect(serializeRefreshCookie(local, null)).toBe(
      'edugraph_refresh=; Path=/auth; HttpOnly; SameSite=Strict; Max-Age=0',
    );
    expect(refreshCookieName(production)).toBe('__Secure-edugraph_refresh');
  });

  it('reads its own cookie among others and ignores empty or malformed values', () => {
    expect(readRefreshCookie(local, 'theme=dark; edugraph_refresh=a%20b%2Fc; x=1')).toBe('a b/c');
    expect(readRefreshCookie(local, '__Secure-edugraph_refresh=other')).toBeNull();
    expect(readRefreshCookie(production, '__Secure-edugraph_refresh=other')).toBe('other');
    expect(readRefreshCookie(local, 'edugraph_refresh=')).toBeNull();
    expect(readRefreshCookie(local, 'edugraph_refresh=%E0%A4%A')).toBeNull();
    expect(readRefreshCookie(local, undefined)).toBeNull();
  });

  it('takes the refresh token out of signIn/signUp/refreshSession payloads, aliases included', () => {
    const data: Record<string, unknown> = { login: { accessToken: 'at', refreshToken: 'rt-1' } };
    expect(
      takeRefreshToken(operation('mutation { login: signIn(input: {}) { accessToken refreshToken } }'), data),
    ).toBe('rt-1');
    expect(data).toEqual({ login: { accessToken: 'at', refreshToken: '' } });
    const refreshed: Record<string, unknown> = { refreshSession: { refreshToken: 'rt-2' } };
    expect(
      takeRefreshToken(operation('mutation { refreshSession(input: {}) { refreshToken } }'), refreshed),
    ).toBe('rt-2');
  });

  it('clears on a successful signOut and leaves other operations alone', () => {
    expect(takeRefreshToken(operation('mutation { signOut }'), { signOut: true })).toBeNull();
    expect(takeRefreshToken(operation('mutation { signOut }'), { signOut: null })).toBeUndefined();
    expect(takeRefreshToken(operation('mutation { changePassword(input: {}) }'), { changePassword: 2 })).toBe(
      undefined,
    );
    // a query never touches the cookie, even one with a field named like a mutation
    expect(
      takeRefreshToken(operation('query { signIn { refreshToken } }'), { signIn: { refreshToken: 'x' } }),
    ).toBeUndefined();
    // a payload without the field selected (failed mutation: null) changes nothing
    expect(
      takeRefreshToken(operation('mutation { signIn(input: {}) { accessToken } }'), { signIn: null }),
    ).toBe(undefined);
  });
});
