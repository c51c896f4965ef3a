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

/**
 * On a subscription event's context, `viewer` is a getter that records whether the result depended on who
 * is watching; access rules read the viewer here instead, so checking a role does not count as such a use.
 */
export const ACCESS_VIEWER = Symbol('viewer for access rules');

/** The viewer as access rules see it (never marks a subscription result as viewer-dependent). */
export function accessViewer(context: RequestContext): Viewer | null {
  const tracked = context as RequestContext & { [ACCESS_VIEWER]?: Viewer | null };
  return ACCESS_VIEWER in tracked ? (tracked[ACCESS_VIEWER] ?? null) : context.viewer;
}
