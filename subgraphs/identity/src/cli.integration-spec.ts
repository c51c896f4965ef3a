import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { main, USAGE, type CliIo } from './cli.js';
import { TEST_ENV, useTestIdentity } from './testing/identity-harness.js';

const t = useTestIdentity();

type KeyRow = { id: string; activates_at: Date; retires_at: Date | null; private_jwk: string };

async function keyRows(): Promise<KeyRow[]> {
  return t.running.services.dataSource.query(
    `SELECT id, activates_at, retires_at, private_jwk FROM "identity".signing_keys ORDER BY created_at, id`,
  );
}

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env: { ...TEST_ENV, DATABASE_URL: t.db.url },
    clock: t.clock,
    print: (line) => out.push(line),
    printError: (line) => err.push(line),
    out,
    err,
  };
}

describe('cli', () => {
  it('rotate-keys creates the next key, prints what it did and is idempotent while a key is pending', async () => {
    const [first] = await keyRows();
    expect(first).toBeDefined();
    const run = io();
    expect(await main(['rotate-keys'], run)).toBe(0);
    expect(run.err).toEqual([]);

    const rows = await keyRows();
    expect(rows).toHaveLength(2);
    const created = rows.find((r) => r.id !== first!.id)!;
    const activatesAt = new Date(t.clock.now().getTime() + t.config.keyPublishLeadSeconds * 1000);
    expect(created.activates_at.toISOString()).toBe(activatesAt.toISOString());
    expect(created.private_jwk).toMatch(/^plain:/);
    expect(run.out).toEqual([
      `created key ${created.id}: published now, signs from ${activatesAt.toISOString()}`,
      `key ${first!.id}: stops signing at ${activatesAt.toISOString()}, leaves JWKS after ${new Date(activatesAt.getTime() + 660_000).toISOString()}`,
      'no expired keys to remove',
    ]);

    const again = io();
    expect(await main(['rotate-keys'], again)).toBe(0);
    expect(again.out[0]).toBe(
      `key ${created.id} is already pending (signs from ${activatesAt.toISOString()}); no new key created`,
    );
    expect(await keyRows()).toHaveLength(2);
  });

  it('an unknown or missing command prints the usage and exits with code 2, changing nothing', async () => {
    const before = await keyRows();
    for (const args of [['rotate-key'], [], ['--help']]) {
      const run = io();
      expect(await main(args, run)).toBe(2);
      expect(run.err).toEqual([USAGE]);
      expect(run.out).toEqual([]);
    }
    expect(await keyRows()).toEqual(before);
  });
});
