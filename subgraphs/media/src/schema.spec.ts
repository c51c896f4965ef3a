import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { subgraph } from './app.js';
import { buildMediaSchema } from './schema.js';

describe('media schema (composition build, no services)', () => {
  it('keys Asset (resolvable by reference) and the User stub', async () => {
    const { sdl } = await buildMediaSchema();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(sdl).toMatch(/type Asset @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type User @key\(fields: "id"\) \{\s+id: ID!\s+\}/);
    expect(sdl).not.toMatch(/storageKey|uploadKey|quarantineKey/);
  });

  it('has the documented root fields (the kit refuses to build one without an access rule)', async () => {
    const { schema } = await buildMediaSchema();
    const names = (fields: Record<string, unknown>) =>
      Object.keys(fields)
        .filter((n) => !n.startsWith('_'))
        .sort();
    expect(names(schema.getQueryType()!.getFields())).toEqual(['asset', 'myAssets']);
    expect(names(schema.getMutationType()!.getFields())).toEqual(['completeUpload', 'requestUpload']);
  });

  it('is a subgraph definition on port 4004 with its own schema', () => {
    expect(subgraph).toMatchObject({ name: 'media', schemaName: 'media', defaultPort: 4004 });
  });
});
