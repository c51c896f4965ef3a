import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer.js';
import { LoaderRegistry } from './loaders.js';

/** What every resolver receives. Built once per request (or per subscription event). */
export type RequestContext = {
  requestId: string;
  viewer: Viewer | null;
  /** Client IP as forwarded by the gateway (for audit and rate limits). */
  ip: string | null;
  userAgent: string | null;
  loaders: LoaderRegistry;
  logger: Logger;
};

export function createRequestContext(input: Omit<RequestContext, 'loaders'>): RequestContext {
  return { ...input, loaders: new LoaderRegistry() };
}
