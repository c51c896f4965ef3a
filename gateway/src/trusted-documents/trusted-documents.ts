import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { envOptional, EnvError, type EnvRecord } from '@edugraph/kit';
import { Kind, GraphQLError, parse, print, type DefinitionNode, type DocumentNode } from 'graphql';
import type { Principal } from '../auth/principal.js';

/**
 * Trusted documents (persisted-operation safelisting, ARCHITECTURE.md §4; README "Trusted documents").
 *
 * - `off`: no manifest; `extensions.persistedQuery` is refused (PERSISTED_QUERY_NOT_SUPPORTED), any document runs.
 * - `allow`: operations may be sent by manifest id; free-form documents still run (development default).
 * - `require`: a caller that is neither an ADMIN user nor an API key (nor first-party tooling holding the internal
 *   token) may only run manifest documents: by id, or as text equal to a manifest body (production default).
 */
export type TrustedDocumentsMode = 'off' | 'allow' | 'require';

export type TrustedDocumentsSettings = {
  mode: TrustedDocumentsMode;
  /** Apollo persisted query manifest; the web app's is written by `npm run codegen`. */
  manifestPath: string;
};

/** Apollo's persisted query manifest format (`@apollo/generate-persisted-query-manifest`). */
export type PersistedDocumentManifest = {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
};

/** `<repo>/web-client/src/generated/persisted-documents.json` (same path from src/ and dist/). */
export const DEFAULT_MANIFEST_PATH = fileURLToPath(
  new URL('../../../web-client/src/generated/persisted-documents.json', import.meta.url),
);

const MODES: readonly TrustedDocumentsMode[] = ['off', 'allow', 'require'];

/** `GATEWAY_TRUSTED_DOCUMENTS=off|allow|require` (default `require` in production, `allow` otherwise). */
export function readTrustedDocumentsSettings(env: EnvRecord, production: boolean): TrustedDocumentsSettings {
  const raw = envOptional(env, 'GATEWAY_TRUSTED_DOCUMENTS')?.toLowerCase();
  if (raw !== undefined && !MODES.includes(raw as TrustedDocumentsMode))
    throw new EnvError(`GATEWAY_TRUSTED_DOCUMENTS must be one of ${MODES.join(', ')}, got "${raw}".`);
  return {
    mode: (raw as TrustedDocumentsMode | undefined) ?? (production ? 'require' : 'allow'),
    manifestPath: envOptional(env, 'GATEWAY_TRUSTED_DOCUMENTS_MANIFEST') ?? DEFAULT_MANIFEST_PATH,
  };
}

function isManifest(value: unknown): value is PersistedDocumentManifest {
  if (typeof value !== 'object' || value === null) return false;
  const manifest = value as Partial<PersistedDocumentManifest>;
  return (
    manifest.format === 'apollo-persisted-query-manifest' &&
    manifest.version === 1 &&
    Array.isArray(manifest.operations) &&
    manifest.operations.every(
      (o) => typeof o?.id === 'string' && typeof o.body === 'string' && typeof o.name === 'string',
    )
  );
}

/** Reads and checks a manifest: every id must be the sha256 of its body (a hand-edited list fails loudly). */
export async function loadManifest(path: string): Promise<PersistedDocumentManifest> {
  const manifest: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isManifest(manifest))
    throw new Error(`${path} is not an Apollo persisted query manifest (version 1).`);
  for (const operation of manifest.operations) {
    if (operation.id !== sha256(operation.body))
      throw new Error(`${path}: the id of ${operation.name} is not the sha256 of its body.`);
  }
  return manifest;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const order = (definition: DefinitionNode): [number, string] => [
  definition.kind === Kind.OPERATION_DEFINITION ? 0 : 1,
  'name' in definition ? (definition.name?.value ?? '') : '',
];

/** Operations before fragments, each by name: the manifest's canonical form (`sortTopLevelDefinitions`). */
export function canonicalText(document: DocumentNode): string {
  const definitions = [...document.definitions].sort((a, b) => {
    const [ak, an] = order(a);
    const [bk, bn] = order(b);
    return ak - bk || (an < bn ? -1 : an > bn ? 1 : 0);
  });
  return print({ ...document, definitions });
}

export const OPERATION_NOT_TRUSTED = 'OPERATION_NOT_TRUSTED';

export function operationNotTrustedError(): GraphQLError {
  return new GraphQLError(
    'This gateway only runs trusted documents for this caller: send the operation id from the first-party ' +
      'manifest (extensions.persistedQuery.sha256Hash). Free-form documents need an API key or an ADMIN session.',
    { extensions: { code: OPERATION_NOT_TRUSTED, http: { status: 400 } } },
  );
}

export function persistedQueryNotFoundError(): GraphQLError {
  return new GraphQLError('PersistedQueryNotFound', {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
  });
}

/** A read-only Apollo Server `persistedQueries` cache over the manifest: APQ registration stores nothing. */
export type ManifestCache = {
  get: (key: string) => Promise<string | undefined>;
  set: (key: string, value: string) => Promise<void>;
  delete: (key: string) => Promise<boolean>;
};

export type TrustedDocuments = {
  mode: TrustedDocumentsMode;
  /** Operations in the manifest. */
  size: number;
  bodyOf: (id: string) => string | undefined;
  /** Exactly a manifest body, or the same document up to whitespace, comments and definition order. */
  isTrustedText: (text: string) => boolean;
  /** Whether this caller may send documents outside the manifest. */
  mayRunFreeForm: (principal: Principal, internal: boolean) => boolean;
  /** Apollo Server's `persistedQueries.cache` (ids resolve to manifest bodies). */
  cache: ManifestCache;
  /** Throws OPERATION_NOT_TRUSTED when an HTTP request's document text may not run for this caller. */
  checkText: (query: unknown, principal: Principal, internal: boolean) => void;
  /**
   * A graphql-ws `subscribe` payload → the document to run: the manifest body for a known
   * `extensions.persistedQuery.sha256Hash` (the text, if any, is ignored), otherwise the text if this caller may run it.
   */
  resolve: (
    payload: { query: string; extensions?: Record<string, unknown> | null | undefined },
    principal: Principal,
    internal: boolean,
  ) => { query: string } | { error: GraphQLError };
};

export function createTrustedDocuments(options: {
  mode: TrustedDocumentsMode;
  manifest: PersistedDocumentManifest;
  maxTokens: number;
}): TrustedDocuments {
  const { mode, maxTokens } = options;
  const bodies = new Map(options.manifest.operations.map((o) => [o.id, o.body]));
  const isTrustedText = (text: string) => {
    if (bodies.has(sha256(text))) return true;
    try {
      return bodies.has(sha256(canonicalText(parse(text, { noLocation: true, maxTokens }))));
    } catch {
      return false;
    }
  };
  const mayRunFreeForm = (principal: Principal, internal: boolean) =>
    mode !== 'require' ||
    internal ||
    principal.kind === 'apiKey' ||
    (principal.kind === 'user' && principal.viewer.roles.includes('ADMIN'));
  const hashOf = (extensions: Record<string, unknown> | null | undefined): string | undefined => {
    const persisted = extensions?.['persistedQuery'];
    if (typeof persisted !== 'object' || persisted === null) return undefined;
    const hash = (persisted as Record<string, unknown>)['sha256Hash'];
    return typeof hash === 'string' ? hash : undefined;
  };
  return {
    mode,
    size: bodies.size,
    bodyOf: (id) => bodies.get(id),
    isTrustedText,
    mayRunFreeForm,
    cache: {
      // Apollo Server prefixes APQ keys with `apq:`.
      get: async (key) => bodies.get(key.startsWith('apq:') ? key.slice(4) : key),
      set: async () => undefined,
      delete: async () => false,
    },
    checkText: (query, principal, internal) => {
      if (typeof query !== 'string' || mayRunFreeForm(principal, internal)) return;
      if (!isTrustedText(query)) throw operationNotTrustedError();
    },
    resolve: (payload, principal, internal) => {
      const hash = hashOf(payload.extensions);
      if (hash !== undefined) {
        const body = bodies.get(hash);
        return body === undefined ? { error: persistedQueryNotFoundError() } : { query: body };
      }
      if (mayRunFreeForm(principal, internal) || isTrustedText(payload.query))
        return { query: payload.query };
      return { error: operationNotTrustedError() };
    },
  };
}

/** The manifest for a mode: none for `off`; for `allow` a missing file is an empty list, for `require` an error. */
export async function loadTrustedDocuments(
  settings: TrustedDocumentsSettings,
  maxTokens: number,
  onMissing: (message: string) => void,
  manifest?: PersistedDocumentManifest,
): Promise<TrustedDocuments | null> {
  if (settings.mode === 'off') return null;
  let loaded = manifest;
  if (!loaded) {
    try {
      loaded = await loadManifest(settings.manifestPath);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (settings.mode === 'require')
        throw new Error(`GATEWAY_TRUSTED_DOCUMENTS=require needs a manifest: ${reason}`);
      onMissing(`trusted documents: no manifest (${reason}); only free-form documents run`);
      loaded = { format: 'apollo-persisted-query-manifest', version: 1, operations: [] };
    }
  }
  return createTrustedDocuments({ mode: settings.mode, manifest: loaded, maxTokens });
}

/** First-party tooling (demo seeding, e2e harness) may present INTERNAL_API_TOKEN as `x-internal-token`. */
export function hasInternalToken(presented: unknown, token: string | undefined): boolean {
  if (!token || typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
