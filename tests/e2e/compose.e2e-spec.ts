import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, subgraphDefinitions } from '@edugraph/launcher';
import { describe, expect, it } from 'vitest';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

describe('committed schema', () => {
  it('composes without errors and matches the committed files (run `npm run compose` when this fails)', async () => {
    const composed = await composeSupergraph(subgraphDefinitions);
    for (const subgraph of composed.subgraphs) {
      expect(
        await readFile(path.join(schemaDir, 'subgraphs', `${subgraph.name}.graphql`), 'utf8'),
        subgraph.name,
      ).toBe(subgraph.sdl);
    }
    expect(await readFile(path.join(schemaDir, 'supergraph.graphql'), 'utf8')).toBe(composed.supergraphSdl);
    expect(await readFile(path.join(schemaDir, 'api.graphql'), 'utf8')).toBe(composed.apiSdl);
  });
});
