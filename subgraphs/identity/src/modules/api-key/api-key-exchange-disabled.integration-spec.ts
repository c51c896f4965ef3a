import 'reflect-metadata';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestIdentity, type TestIdentity } from '../../testing/identity-harness.js';

let t: TestIdentity;

beforeAll(async () => {
  t = await startTestIdentity({ internalApiToken: undefined });
});

afterAll(async () => {
  await t?.close();
});

it('the exchange route does not exist (404) when INTERNAL_API_TOKEN is unset', async () => {
  const response = await fetch(`${t.baseUrl}/internal/api-keys/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-internal-token': '' },
    body: JSON.stringify({ apiKey: 'egk_x' }),
  });
  expect(response.status).toBe(404);
});
