import 'reflect-metadata';
import { expect, it } from 'vitest';
import { signIn, signUp, useTestIdentity, uniqueEmail } from '../../testing/identity-harness.js';

const t = useTestIdentity();

async function storedHash(email: string): Promise<string> {
  const rows: { password_hash: string }[] = await t.running.services.dataSource.query(
    `SELECT password_hash FROM "identity".users WHERE email = $1`,
    [email],
  );
  return rows[0]!.password_hash;
}

it('stores argon2id hashes and rehashes on sign-in when the parameters change', async () => {
  const email = uniqueEmail('rehash');
  await signUp(t, email);
  const before = await storedHash(email);
  expect(before).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);

  // Same parameters: no rehash.
  expect((await signIn(t, email)).errors).toBeUndefined();
  expect(await storedHash(email)).toBe(before);

  await t.restart({ passwordHash: { memoryCost: 2048, timeCost: 2, parallelism: 1 } });
  expect((await signIn(t, email)).errors).toBeUndefined();
  const after = await storedHash(email);
  expect(after).toMatch(/^\$argon2id\$v=19\$m=2048,p=1,t=2\$/);
  // The new hash still verifies the same password.
  expect((await signIn(t, email)).errors).toBeUndefined();
  expect(await storedHash(email)).toBe(after);
});
