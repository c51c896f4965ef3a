import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestClamd } from '../testing/media-harness.js';
import { eicar, makePdf } from '../testing/pdf.js';
import type { ClamdClient } from './clamd-client.js';

/** The real clamd (started by subgraphs/media/clamd/clamd.sh with the repository's signatures). */
describe('clamd INSTREAM', () => {
  let clamd: ClamdClient;

  beforeAll(async () => {
    clamd = await ensureTestClamd();
  });

  it('answers PING and VERSION', async () => {
    expect(await clamd.ping()).toBe(true);
    expect(await clamd.version()).toMatch(/^ClamAV \d+\.\d+/);
  });

  it('a clean file is OK', async () => {
    expect(await clamd.scan(Readable.from([makePdf(['clean'])]))).toEqual({ clean: true });
  });

  it('EICAR is found, also inside a larger file and split over chunks', async () => {
    const verdict = await clamd.scan(Readable.from([eicar()]));
    expect(verdict).toEqual({ clean: false, signature: expect.stringContaining('EICAR') });
    const bytes = Buffer.concat([Buffer.alloc(200_000, 0x20), eicar(), Buffer.alloc(1000, 0x20)]);
    const split = [bytes.subarray(0, 200_030), bytes.subarray(200_030)];
    expect((await clamd.scan(Readable.from(split))).clean).toBe(false);
  });
});
