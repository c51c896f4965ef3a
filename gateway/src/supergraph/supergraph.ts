import { readFile } from 'node:fs/promises';
import { Kind, parse, type ConstValueNode } from 'graphql';
import { subgraphKey } from '../environment.js';

export type SubgraphEndpoint = { name: string; url: string };

function stringArgument(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The subgraphs of a supergraph (`enum join__Graph { X @join__graph(name:, url:) }`), with URL overrides applied. */
export function subgraphEndpoints(
  supergraphSdl: string,
  overrides: Record<string, string>,
): SubgraphEndpoint[] {
  const document = parse(supergraphSdl);
  const endpoints: SubgraphEndpoint[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const name =
        stringArgument(directive?.arguments?.find((a) => a.name.value === 'name')?.value) ??
        value.name.value.toLowerCase();
      const url = stringArgument(directive?.arguments?.find((a) => a.name.value === 'url')?.value) ?? '';
      endpoints.push({ name, url: overrides[subgraphKey(name)] ?? url });
    }
  }
  return endpoints;
}

export async function loadSupergraphSdl(options: {
  supergraphSdl?: string | undefined;
  supergraphPath: string;
}): Promise<string> {
  if (options.supergraphSdl) return options.supergraphSdl;
  try {
    return await readFile(options.supergraphPath, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the supergraph at ${options.supergraphPath} (run \`npm run compose\`, or set SUPERGRAPH_PATH).`,
      {
        cause: error,
      },
    );
  }
}

/** A subgraph's health URL: `/health` on the host of its GraphQL URL. */
export function healthUrl(graphqlUrl: string): string {
  return new URL('/health', graphqlUrl).toString();
}
