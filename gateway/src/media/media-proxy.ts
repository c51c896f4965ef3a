import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { envInt, envOptional, EnvError, type EnvRecord, type Logger } from '@edugraph/kit';
import type { RequestHandler } from 'express';
import { requestIdOf } from '../http/request-id.js';
import type { SubgraphEndpoint } from '../supergraph/supergraph.js';

/** Where media's local-disk backend serves its signed URLs (`LOCAL_OBJECTS_PATH` in subgraphs/media). */
export const MEDIA_OBJECTS_PATH = '/media/objects';

/** Media's largest per-kind cap (VIDEO, 512 MiB): no signed upload can be larger. */
export const DEFAULT_MEDIA_UPLOAD_MAX_BYTES = 512 * 1024 * 1024;

export type MediaProxySettings = {
  /** Origin of media's signed object routes (`MEDIA_URL`); default: the media subgraph's URL. */
  url: string | undefined;
  /** PUT bodies above this are refused with 413 before media is asked (`MEDIA_UPLOAD_MAX_BYTES`). */
  maxUploadBytes: number;
  /** An upstream socket idle this long is dropped (`MEDIA_PROXY_IDLE_TIMEOUT_MS`). */
  idleTimeoutMs: number;
};

export function readMediaProxySettings(env: EnvRecord): MediaProxySettings {
  const url = envOptional(env, 'MEDIA_URL');
  if (url) {
    try {
      new URL(url);
    } catch {
      throw new EnvError(`MEDIA_URL must be a URL, got "${url}".`);
    }
  }
  return {
    url,
    maxUploadBytes: envInt(env, 'MEDIA_UPLOAD_MAX_BYTES', DEFAULT_MEDIA_UPLOAD_MAX_BYTES, { min: 1 }),
    idleTimeoutMs: envInt(env, 'MEDIA_PROXY_IDLE_TIMEOUT_MS', 60_000, { min: 1000, max: 3_600_000 }),
  };
}

/** `MEDIA_URL`, else the URL of the supergraph's `media` subgraph (with `SUBGRAPH_URL_MEDIA` applied); else none. */
export function mediaTarget(settings: MediaProxySettings, endpoints: SubgraphEndpoint[]): string | null {
  const url = settings.url ?? endpoints.find((e) => e.name.toLowerCase() === 'media')?.url;
  return url ? new URL('/', url).toString() : null;
}

/**
 * Media's storage keys are server-chosen plain segments (`incoming/<k>`, `assets/<id>/<k>`…): the raw path must
 * be exactly that — no `.`/`..` segment, no percent-encoding, nothing URL normalisation could turn into another path.
 */
const OBJECT_PATH = /^\/media\/objects(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){1,5}$/;

/** Request headers media's routes use; everything else (cookies, Authorization, hop-by-hop headers) stays here. */
const REQUEST_HEADERS = [
  'content-type',
  'content-length',
  'range',
  'if-range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'accept',
  'user-agent',
];

/** Response headers passed back (hop-by-hop ones such as Connection and Keep-Alive never are). */
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-range',
  'content-encoding',
  'accept-ranges',
  'etag',
  'last-modified',
  'cache-control',
  'expires',
  'vary',
  'x-content-type-options',
  'content-security-policy',
  'retry-after',
];

function pick(source: IncomingHttpHeaders, names: readonly string[]): OutgoingHttpHeaders {
  const picked: OutgoingHttpHeaders = {};
  for (const name of names) {
    const value = source[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/**
 * Proxies media's signed object routes (`PUT`/`GET`/`HEAD /media/objects/<key>?…`) to the media subgraph, so
 * signed URLs can sit on the gateway's origin (`MEDIA_PUBLIC_URL` = the gateway's public URL) and the web app
 * uploads same-origin. Bodies stream both ways (no buffering, back-pressure kept); media still checks the
 * signature, expiry, type and exact size, and its answer — status, type, length, cache and range headers — is
 * passed through. No authentication here: the HMAC in the URL is the permission.
 */
export function mediaObjectsProxy(options: {
  target: string;
  settings: MediaProxySettings;
  logger: Logger;
}): RequestHandler {
  const target = new URL(options.target);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true });
  return (req, res) => {
    const fail = (status: number, error: string, headers: Record<string, string> = {}) => {
      res.status(status).set(headers).json({ error });
    };
    const raw = req.originalUrl;
    const mark = raw.indexOf('?');
    const rawPath = mark === -1 ? raw : raw.slice(0, mark);
    const rawQuery = mark === -1 ? '' : raw.slice(mark + 1);
    if (!OBJECT_PATH.test(rawPath)) {
      fail(404, 'not found');
      return;
    }
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') {
      fail(405, 'method not allowed', { allow: 'GET, HEAD, PUT' });
      return;
    }
    const upload = method === 'PUT';
    if (upload) {
      // Refused uploads close the connection, so the unread body is not parsed as the next request.
      const refuse = (status: number, error: string) => {
        req.resume();
        fail(status, error, { connection: 'close' });
      };
      const declared = req.headers['content-length'];
      if (declared === undefined || req.headers['transfer-encoding'] !== undefined) {
        refuse(411, 'content length required');
        return;
      }
      const length = Number(declared);
      if (!Number.isSafeInteger(length) || length < 0) {
        refuse(400, 'invalid content length');
        return;
      }
      if (length > options.settings.maxUploadBytes) {
        refuse(413, 'upload larger than any media kind allows');
        return;
      }
    }

    const headers: OutgoingHttpHeaders = {
      ...pick(req.headers, REQUEST_HEADERS),
      'x-request-id': requestIdOf(res),
      'x-forwarded-for': req.ip ?? '',
      'x-forwarded-proto': req.protocol,
      ...(req.headers.host ? { 'x-forwarded-host': req.headers.host } : {}),
    };
    const upstream = transport.request(new URL(`${rawPath}${rawQuery ? `?${rawQuery}` : ''}`, target), {
      method,
      headers,
      agent,
      timeout: options.settings.idleTimeoutMs,
    });
    let answered = false;
    upstream.on('response', (response) => {
      answered = true;
      const passed = pick(response.headers, RESPONSE_HEADERS);
      // Media refused before reading the whole upload: close, as media does, rather than drain it.
      if (upload && !req.complete) passed['connection'] = 'close';
      res.writeHead(response.statusCode ?? 502, passed);
      pipeline(response, res).catch(() => res.destroy());
    });
    upstream.on('timeout', () => upstream.destroy(new Error('media did not answer in time')));
    upstream.on('error', (error) => {
      if (upload) {
        req.unpipe(upstream);
        req.resume();
      }
      // the response pipeline ends or destroys the client's response itself; a gone client needs no answer
      if (answered || res.destroyed) return;
      options.logger.warn({ err: error, path: rawPath }, 'media object proxy: upstream failed');
      if (!res.headersSent) {
        const timedOut = error.message === 'media did not answer in time';
        fail(timedOut ? 504 : 502, timedOut ? 'media did not answer in time' : 'media is not reachable', {
          ...(upload ? { connection: 'close' } : {}),
        });
      } else res.destroy();
    });
    // The client went away (upload aborted, download cancelled): stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (upload) req.pipe(upstream);
    else upstream.end();
  };
}
