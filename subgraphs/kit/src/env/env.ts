/**
 * Small typed readers over an environment record. Each subgraph's `environment.ts` is the only file
 * that passes `process.env` in; everything else receives a typed config object.
 */
export type EnvRecord = Record<string, string | undefined>;

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

export function envString(env: EnvRecord, name: string, fallback?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new EnvError(`Environment variable ${name} is required.`);
}

export function envOptional(env: EnvRecord, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function envInt(
  env: EnvRecord,
  name: string,
  fallback: number,
  range?: { min?: number; max?: number },
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value))
    throw new EnvError(`Environment variable ${name} must be an integer, got "${raw}".`);
  if (range?.min !== undefined && value < range.min) throw new EnvError(`${name} must be ≥ ${range.min}.`);
  if (range?.max !== undefined && value > range.max) throw new EnvError(`${name} must be ≤ ${range.max}.`);
  return value;
}

export function envBool(env: EnvRecord, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new EnvError(`Environment variable ${name} must be a boolean, got "${raw}".`);
}

export type NodeEnvironment = 'development' | 'test' | 'production';

export function envNodeEnvironment(env: EnvRecord): NodeEnvironment {
  const value = env['NODE_ENV'] ?? 'development';
  if (value === 'development' || value === 'test' || value === 'production') return value;
  throw new EnvError(`NODE_ENV must be development, test or production, got "${value}".`);
}

/** Settings every subgraph shares. */
export type CommonSubgraphConfig = {
  nodeEnv: NodeEnvironment;
  /** Interface to listen on: HOST, else 0.0.0.0 in production (containers) and 127.0.0.1 elsewhere. */
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  jwksUrl: string;
  tokenIssuer: string;
  tokenAudience: string;
  logLevel: string | undefined;
  /** Shared secret of the platform's own services (the gateway's multiplexed subscriptions, internal routes). */
  internalApiToken: string | undefined;
};

export function readCommonSubgraphConfig(env: EnvRecord, defaults: { port: number }): CommonSubgraphConfig {
  const nodeEnv = envNodeEnvironment(env);
  return {
    nodeEnv,
    host: envString(env, 'HOST', nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: envInt(env, 'PORT', defaults.port, { min: 0, max: 65535 }),
    databaseUrl: envString(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/edugraph'),
    redisUrl: envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379'),
    jwksUrl: envString(env, 'JWKS_URL', 'http://127.0.0.1:4001/.well-known/jwks.json'),
    tokenIssuer: envString(env, 'TOKEN_ISSUER', 'https://edugraph.local'),
    tokenAudience: envString(env, 'TOKEN_AUDIENCE', 'edugraph-api'),
    logLevel: envOptional(env, 'LOG_LEVEL'),
    internalApiToken: envOptional(env, 'INTERNAL_API_TOKEN'),
  };
}
