import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { subgraph } from './app.js';
import { buildCommunitySchema } from './schema.js';

describe('community schema (composition build, no services)', () => {
  it('keys Community and stubs User and Asset', async () => {
    const { sdl } = await buildCommunitySchema();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(sdl).toMatch(/type Community @key\(fields: "id"\)/);
    expect(sdl).toMatch(/type User @key\(fields: "id"\) \{\s+id: ID!/);
    expect(sdl).toMatch(/type Asset @key\(fields: "id", resolvable: false\) \{\s+id: ID!\s+\}/);
    expect(sdl).not.toMatch(/CommunityFieldsBase/);
    const communityType = /type Community @key[^}]*\}/s.exec(sdl)?.[0] ?? '';
    expect(communityType).not.toMatch(/ownerId|coverAssetId|entity/);
  });

  it('has the foundation’s root fields, each with an access rule (the kit refuses to build otherwise)', async () => {
    const { schema } = await buildCommunitySchema();
    const names = (fields: Record<string, unknown>) => Object.keys(fields).filter((n) => !n.startsWith('_'));
    expect(names(schema.getQueryType()!.getFields())).toEqual(
      expect.arrayContaining(['community', 'communities', 'myCommunityMembership']),
    );
    expect(names(schema.getMutationType()!.getFields())).toEqual(
      expect.arrayContaining(['createCommunity', 'updateCommunity', 'joinCommunity', 'leaveCommunity']),
    );
  });

  it('is a subgraph definition on port 4007 with its own schema', () => {
    expect(subgraph).toMatchObject({ name: 'community', schemaName: 'community', defaultPort: 4007 });
  });
});
