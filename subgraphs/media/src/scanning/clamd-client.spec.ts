import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ClamdClient, ClamdError, parseScanReply } from './clamd-client.js';

describe('parseScanReply', () => {
  it('only OK is clean', () => {
    expect(parseScanReply('stream: OK\0')).toEqual({ clean: true });
    expect(parseScanReply('stream: Eicar-Test-Signature FOUND')).toEqual({
      clean: false,
      signature: 'Eicar-Test-Signature',
    });
    for (const reply of [
      'INSTREAM size limit exceeded. ERROR',
      "stream: Can't allocate memory ERROR",
      'UNKNOWN COMMAND',
      '',
      'stream: OKAY',
      'stream: OK FOUND extra',
    ])
      expect(() => parseScanReply(reply), reply).toThrow(ClamdError);
  });
});

/** A stand-in clamd on a local socket, to see the client fail closed on what a real one rarely does. */
describe('ClamdClient against a misbehaving server', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  async function fakeClamd(onData: (socket: net.Socket, received: Buffer) => void): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fake-clamd-'));
    const socketPath = path.join(dir, 'clamd.sock');
    const server = net.createServer((socket) => {
      let received: Buffer = Buffer.alloc(0);
      socket.on('data', (data) => {
        received = Buffer.concat([received, data]);
        onData(socket, received);
      });
      socket.on('error', () => undefined);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return socketPath;
  }

  it('sends INSTREAM as length-prefixed chunks ending with a zero-length chunk', async () => {
    let seen: Buffer = Buffer.alloc(0);
    const socket = await fakeClamd((s, received) => {
      seen = received;
      if (received.subarray(-4).equals(Buffer.alloc(4))) s.end('stream: OK\0');
    });
    const verdict = await new ClamdClient({ socket }, 2000).scan(
      Readable.from([Buffer.from('hello'), Buffer.from('!')]),
    );
    expect(verdict).toEqual({ clean: true });
    expect(seen.subarray(0, 10).toString()).toBe('zINSTREAM\0');
    expect(seen.subarray(10)).toEqual(
      Buffer.concat([
        Buffer.from([0, 0, 0, 5]),
        Buffer.from('hello'),
        Buffer.from([0, 0, 0, 1]),
        Buffer.from('!'),
        Buffer.alloc(4),
      ]),
    );
  });

  it('a size-limit reply is not clean', async () => {
    const socket = await fakeClamd((s) => s.end('INSTREAM size limit exceeded. ERROR\0'));
    await expect(
      new ClamdClient({ socket }, 2000).scan(Readable.from([Buffer.alloc(1024 * 1024)])),
    ).rejects.toThrow(/size limit/);
  });

  it('a silent server times out; a closed connection and a missing socket fail', async () => {
    const silent = await fakeClamd(() => undefined);
    await expect(
      new ClamdClient({ socket: silent }, 200).scan(Readable.from([Buffer.from('x')])),
    ).rejects.toThrow(/did not answer within 200 ms/);
    const closing = await fakeClamd((s) => s.destroy());
    await expect(
      new ClamdClient({ socket: closing }, 2000).scan(Readable.from([Buffer.from('x')])),
    ).rejects.toThrow(ClamdError);
    await expect(
      new ClamdClient({ socket: '/tmp/edugraph-no-such-clamd.sock' }, 2000).scan(
        Readable.from([Buffer.from('x')]),
      ),
    ).rejects.toThrow(/connection failed/);
    expect(await new ClamdClient({ socket: '/tmp/edugraph-no-such-clamd.sock' }, 500).ping()).toBe(false);
  });
});
