import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

const REQUEST_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;

/** A client-supplied `x-request-id` when it is a plausible id, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/** Sets `res.locals.requestId` and echoes it in the `x-request-id` response header. */
export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.locals['requestId'] = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  };
}

export function requestIdOf(res: Response): string {
  const id: unknown = res.locals['requestId'];
  return typeof id === 'string' ? id : randomUUID();
}

/** Express's `req.ip` (honours `trust proxy`) without the IPv4-mapped IPv6 prefix. */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
