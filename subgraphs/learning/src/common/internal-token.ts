import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether a request to an internal route (`/internal/…`, called by other subgraphs) carries
 * `authorization: Bearer <INTERNAL_API_TOKEN>`. Compared in constant time (digests of equal length);
 * with no token configured nothing is accepted.
 */
export function hasInternalToken(headers: IncomingHttpHeaders, token: string | undefined): boolean {
  const header = headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token || !given) return false;
  return timingSafeEqual(digest(given), digest(token));
}
