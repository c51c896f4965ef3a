import 'reflect-metadata';
import { expect, it } from 'vitest';
import { useTestIdentity } from '../../testing/identity-harness.js';

const t = useTestIdentity({ internalApiToken: undefined });

it('the exchange route does not exist (404) when INTERNAL_API_TOKEN is unset', async () => {
  const response = await fetch(`${t.baseUrl}/internal/api-keys/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-internal-token': '' },
    body: JSON.stringify({ apiKey: 'egk_x' }),
  });
  expect(response.status).toBe(404);
});
