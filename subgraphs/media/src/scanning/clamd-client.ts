import net from 'node:net';
import type { Readable } from 'node:stream';

/** Where clamd listens: its local socket or TCP. */
export type ClamdAddress = { socket: string } | { host: string; port: number };

export type ScanVerdict = { clean: true } | { clean: false; signature: string };

/** Anything but a clean or infected verdict: connection errors, timeouts, size limits, ERROR replies. */
export class ClamdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClamdError';
  }
}

/** clamd's INSTREAM chunk size (must stay below its StreamMaxLength, and a chunk below 4 GiB). */
const CHUNK = 64 * 1024;
const MAX_REPLY = 4096;

/**
 * Reads a clamd reply (`z` commands end with a NUL byte). Only `stream: OK` is clean;
 * `stream: <name> FOUND` is infected; everything else (`… ERROR`, size limit, garbage) throws.
 */
export function parseScanReply(reply: string): ScanVerdict {
  const text = reply.replace(/\0+$/, '').trim();
  if (text === 'stream: OK' || text === 'OK') return { clean: true };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found?.[1]) return { clean: false, signature: found[1] };
  throw new ClamdError(`clamd did not answer OK: ${JSON.stringify(text.slice(0, 200))}`);
}

/**
 * A small client of clamd's socket protocol (`zPING`, `zVERSION`, `zINSTREAM`): the stream is sent in
 * length-prefixed chunks ending with a zero-length chunk; clamd answers with one NUL-terminated line.
 * Fails closed: a timeout, a closed socket or an unexpected reply rejects with ClamdError.
 */
export class ClamdClient {
  constructor(
    private readonly address: ClamdAddress,
    private readonly timeoutMs = 60_000,
  ) {}

  private connect(): net.Socket {
    return 'socket' in this.address
      ? net.createConnection(this.address.socket)
      : net.createConnection(this.address.port, this.address.host);
  }

  /** Sends `command` (then `body`, if any) and resolves with clamd's reply up to its NUL byte. */
  private exchange(command: string, body?: (socket: net.Socket) => Promise<void>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const socket = this.connect();
      let reply = '';
      let settled = false;
      const finish = (error: Error | null, value?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve(value ?? '');
      };
      const timer = setTimeout(
        () => finish(new ClamdError(`clamd did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      socket.setEncoding('utf8');
      socket.on('error', (error) => finish(new ClamdError(`clamd connection failed: ${error.message}`)));
      socket.on('data', (data: string) => {
        reply += data;
        const end = reply.indexOf('\0');
        if (end >= 0) finish(null, reply.slice(0, end));
        else if (reply.length > MAX_REPLY) finish(new ClamdError('clamd reply too long'));
      });
      socket.on('close', () =>
        finish(new ClamdError(`clamd closed the connection: ${JSON.stringify(reply)}`)),
      );
      socket.on('connect', () => {
        socket.write(`z${command}\0`);
        body?.(socket).catch((error: unknown) =>
          finish(
            error instanceof ClamdError
              ? error
              : new ClamdError(
                  `sending to clamd failed: ${error instanceof Error ? error.message : String(error)}`,
                ),
          ),
        );
      });
    });
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.exchange('PING')).trim() === 'PONG';
    } catch {
      return false;
    }
  }

  version(): Promise<string> {
    return this.exchange('VERSION');
  }

  /** Scans a stream with INSTREAM. Only clamd's `OK` is clean; anything unexpected throws ClamdError. */
  async scan(stream: Readable): Promise<ScanVerdict> {
    const reply = await this.exchange('INSTREAM', async (socket) => {
      const write = (buffer: Buffer) =>
        new Promise<void>((resolve, reject) => {
          // clamd may answer (size limit) and close early; a failed write then surfaces as its reply.
          if (socket.destroyed || !socket.writable) return reject(new ClamdError('clamd stopped reading'));
          if (socket.write(buffer)) resolve();
          else socket.once('drain', resolve);
        });
      const length = Buffer.alloc(4);
      try {
        for await (const data of stream) {
          const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array);
          for (let offset = 0; offset < chunk.length; offset += CHUNK) {
            const part = chunk.subarray(offset, offset + CHUNK);
            length.writeUInt32BE(part.length);
            await write(Buffer.from(length));
            await write(part);
          }
        }
        await write(Buffer.alloc(4));
      } catch (error) {
        stream.destroy();
        // If clamd already replied (e.g. size limit), that reply wins; otherwise this error does.
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw error;
      }
    });
    return parseScanReply(reply);
  }
}
