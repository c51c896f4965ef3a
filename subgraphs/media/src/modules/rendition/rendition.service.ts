import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '@edugraph/kit';
import sharp from 'sharp';
import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { downloadToFile, type ObjectStorage } from '../../storage/object-storage.js';
import { AssetEntity } from '../asset/asset.entity.js';
import { MIME, SLIDE_MIME_TYPES } from '../asset/upload-policy.js';
import { RenditionEntity, type RenditionKind } from './rendition.entity.js';

const run = promisify(execFile);

export type RenditionTools = {
  sofficePath: string;
  pdftoppmPath: string;
  /** Per conversion step. */
  timeoutMs?: number;
  /** Page images made of a document (the first N pages). */
  maxPages?: number;
};

const THUMBNAIL_WIDTH = 320;
const PAGE_WIDTH = 1280;

const EXTENSIONS: Record<string, string> = {
  [MIME.pptx]: 'pptx',
  [MIME.ppt]: 'ppt',
  [MIME.odp]: 'odp',
  [MIME.pdf]: 'pdf',
};

/**
 * Renditions (a BullMQ job per READY asset, progress on the asset):
 * - slide decks (PPT/PPTX/ODP) → PDF with LibreOffice headless (private profile, timeout), then
 * - PDFs → page images (pdftoppm, PNG, 1280 px wide, first `maxPages` pages) and a thumbnail;
 * - images → a 320 px PNG thumbnail (sharp).
 * Failures retry (BullMQ); the last failure leaves `renditionStatus: FAILED`, the original stays READY.
 */
export class RenditionService {
  private readonly timeoutMs: number;
  private readonly maxPages: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: ObjectStorage,
    private readonly tools: RenditionTools,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.timeoutMs = tools.timeoutMs ?? 180_000;
    this.maxPages = tools.maxPages ?? 100;
  }

  async byAssetIds(ids: readonly string[]): Promise<RenditionEntity[][]> {
    const rows = await this.dataSource
      .getRepository(RenditionEntity)
      .find({ where: { assetId: In([...ids]) }, order: { kind: 'ASC', page: 'ASC' } });
    return ids.map((id) => rows.filter((r) => r.assetId === id));
  }

  private async progress(assetId: string, values: Partial<AssetEntity>): Promise<void> {
    await this.dataSource
      .getRepository(AssetEntity)
      .update({ id: assetId }, { ...values, updatedAt: this.clock.now() });
  }

  async render(assetId: string, options: { lastAttempt: boolean }): Promise<'READY' | 'SKIPPED'> {
    const asset = await this.dataSource.getRepository(AssetEntity).findOneBy({ id: assetId });
    if (!asset || asset.status !== 'READY' || !asset.storageKey || asset.renditionStatus === 'READY')
      return 'SKIPPED';
    await this.progress(asset.id, {
      renditionStatus: 'PROCESSING',
      renditionProgress: 5,
      renditionError: null,
    });
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'edugraph-rendition-'));
    try {
      const original = path.join(work, `original.${EXTENSIONS[asset.mimeType] ?? 'bin'}`);
      await downloadToFile(this.storage, asset.storageKey, original);
      await this.progress(asset.id, { renditionProgress: 15 });
      let pageCount: number | null = null;
      if (SLIDE_MIME_TYPES.includes(asset.mimeType) || asset.mimeType === MIME.pdf) {
        let pdf = original;
        if (asset.mimeType !== MIME.pdf) {
          pdf = await this.convertToPdf(original, work);
          await this.save(asset.id, 'PDF', null, pdf, MIME.pdf);
          await this.progress(asset.id, { renditionProgress: 50 });
        }
        pageCount = await this.pageImages(asset.id, pdf, work);
      } else {
        await this.thumbnail(asset.id, await fs.readFile(original));
      }
      await this.progress(asset.id, { renditionStatus: 'READY', renditionProgress: 100, pageCount });
      return 'READY';
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ assetId, err: error, lastAttempt: options.lastAttempt }, 'rendition failed');
      if (options.lastAttempt)
        await this.progress(asset.id, { renditionStatus: 'FAILED', renditionError: reason.slice(0, 500) });
      throw error;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** LibreOffice headless with its own profile (parallel conversions do not share one). */
  private async convertToPdf(file: string, work: string): Promise<string> {
    const out = path.join(work, 'pdf');
    await fs.mkdir(out);
    await run(
      this.tools.sofficePath,
      [
        `-env:UserInstallation=file://${path.join(work, 'profile')}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        '--convert-to',
        'pdf',
        '--outdir',
        out,
        file,
      ],
      { timeout: this.timeoutMs, killSignal: 'SIGKILL' },
    );
    const pdf = path.join(out, `${path.parse(file).name}.pdf`);
    await fs.access(pdf);
    return pdf;
  }

  private async pageImages(assetId: string, pdf: string, work: string): Promise<number> {
    const out = path.join(work, 'pages');
    await fs.mkdir(out);
    await run(
      this.tools.pdftoppmPath,
      [
        '-png',
        '-scale-to-x',
        String(PAGE_WIDTH),
        '-scale-to-y',
        '-1',
        '-l',
        String(this.maxPages),
        pdf,
        path.join(out, 'page'),
      ],
      { timeout: this.timeoutMs, killSignal: 'SIGKILL' },
    );
    const files = (await fs.readdir(out)).filter((f) => /^page-\d+\.png$/.test(f));
    const pages = files
      .map((f) => ({ file: path.join(out, f), page: Number(/(\d+)/.exec(f)![1]) }))
      .sort((a, b) => a.page - b.page);
    if (pages.length === 0) throw new Error('pdftoppm made no page images');
    for (const [index, { file, page }] of pages.entries()) {
      await this.save(assetId, 'PAGE_IMAGE', page, file, MIME.png);
      await this.progress(assetId, {
        renditionProgress: Math.min(95, 55 + Math.round((40 * (index + 1)) / pages.length)),
      });
    }
    await this.thumbnail(assetId, await fs.readFile(pages[0]!.file));
    return pages.length;
  }

  private async thumbnail(assetId: string, image: Buffer): Promise<void> {
    const { data, info } = await sharp(image, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
    await this.saveBuffer(assetId, 'THUMBNAIL', null, data, MIME.png, info.width, info.height);
  }

  private async save(
    assetId: string,
    kind: RenditionKind,
    page: number | null,
    file: string,
    contentType: string,
  ): Promise<void> {
    let width: number | null = null;
    let height: number | null = null;
    if (contentType === MIME.png) {
      const meta = await sharp(file).metadata();
      width = meta.width ?? null;
      height = meta.height ?? null;
    }
    const key = this.keyOf(assetId, kind, page, contentType);
    await this.storage.putFile(key, file, contentType);
    const { size } = await fs.stat(file);
    await this.upsert({ assetId, kind, page, key, contentType, size, width, height });
  }

  private async saveBuffer(
    assetId: string,
    kind: RenditionKind,
    page: number | null,
    data: Buffer,
    contentType: string,
    width: number,
    height: number,
  ): Promise<void> {
    const key = this.keyOf(assetId, kind, page, contentType);
    await this.storage.put(key, data, contentType);
    await this.upsert({ assetId, kind, page, key, contentType, size: data.length, width, height });
  }

  private keyOf(assetId: string, kind: RenditionKind, page: number | null, contentType: string): string {
    const extension = contentType === MIME.pdf ? 'pdf' : 'png';
    const name =
      kind === 'PAGE_IMAGE'
        ? `page-${String(page).padStart(4, '0')}`
        : kind === 'PDF'
          ? 'document'
          : 'thumbnail';
    return `renditions/${assetId}/${name}.${extension}`;
  }

  /** One row per (asset, kind, page): a retried job replaces what an earlier attempt stored. */
  private async upsert(r: {
    assetId: string;
    kind: RenditionKind;
    page: number | null;
    key: string;
    contentType: string;
    size: number;
    width: number | null;
    height: number | null;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "media".asset_renditions (id, asset_id, kind, page, storage_key, content_type, size, width, height, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ON CONSTRAINT uq_asset_renditions_kind_page DO UPDATE SET
         storage_key = EXCLUDED.storage_key, content_type = EXCLUDED.content_type, size = EXCLUDED.size,
         width = EXCLUDED.width, height = EXCLUDED.height, created_at = EXCLUDED.created_at`,
      [
        randomUUID(),
        r.assetId,
        r.kind,
        r.page,
        r.key,
        r.contentType,
        r.size,
        r.width,
        r.height,
        this.clock.now(),
      ],
    );
  }
}
