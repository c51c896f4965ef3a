import { composeServices } from '@apollo/composition';
import type { SubgraphDefinition } from '@edugraph/kit';
import { parse, printSchema } from 'graphql';

export type ComposedGraph = {
  subgraphs: { name: string; url: string; sdl: string }[];
  supergraphSdl: string;
  apiSdl: string;
  hints: string[];
};

export class CompositionFailedError extends Error {
  constructor(readonly problems: string[]) {
    super(`Composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionFailedError';
  }
}

/** Default subgraph URL recorded in the static supergraph (the gateway can override each one). */
export function defaultSubgraphUrl(definition: SubgraphDefinition): string {
  return `http://127.0.0.1:${definition.defaultPort}/graphql`;
}

/** Builds every subgraph's SDL from its type-graphql classes and composes the supergraph. */
export async function composeSupergraph(definitions: readonly SubgraphDefinition[]): Promise<ComposedGraph> {
  const subgraphs = [];
  for (const definition of definitions) {
    const { sdl } = await definition.buildSchema();
    subgraphs.push({ name: definition.name, url: defaultSubgraphUrl(definition), sdl: `${sdl.trim()}\n` });
  }
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors) throw new CompositionFailedError(result.errors.map((e) => e.message));
  return {
    subgraphs,
    supergraphSdl: `${result.supergraphSdl.trim()}\n`,
    apiSdl: `${printSchema(result.schema.toAPISchema().toGraphQLJSSchema()).trim()}\n`,
    hints: result.hints.map((h) => h.toString()),
  };
}
