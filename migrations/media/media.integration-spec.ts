import 'reflect-metadata';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaMigrations } from './index.js';

const OWNER = '00000000-0000-4000-8000-000000000001';
const SHA = 'a'.repeat(64);

describe('media migrations', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({ schema: 'media', migrations: mediaMigrations });
  });
  afterAll(async () => {
    await m?.close();
  });

  function insertAsset(columns: Record<string, unknown>) {
    const row: Record<string, unknown> = {
      id: crypto.randomUUID(),
      owner_id: OWNER,
      kind: 'IMAGE',
      file_name: 'a.png',
      mime_type: 'image/png',
      size: 10,
      sha256: SHA,
      upload_key: `incoming/${crypto.randomUUID()}`,
      upload_expires_at: new Date(Date.now() + 7 * 86_400_000),
      ...columns,
    };
    const names = Object.keys(row);
    return m.dataSource.query(
      `INSERT INTO "media".assets (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  }

  it('creates every table', async () => {
    expect(await m.tables()).toEqual(['asset_renditions', 'assets', 'inbox', 'migrations', 'outbox']);
  });

  it('enforces the asset shape', async () => {
    await insertAsset({});
    await expect(insertAsset({ kind: 'SPREADSHEET' })).rejects.toThrow(/ck_assets_kind/);
    await expect(insertAsset({ status: 'READY' })).rejects.toThrow(/ck_assets_ready_stored/);
    await expect(insertAsset({ visibility: 'RESTRICTED' })).rejects.toThrow(/ck_assets_restricted_domain/);
    await expect(insertAsset({ sha256: 'XYZ' })).rejects.toThrow(/ck_assets_sha256/);
    await expect(insertAsset({ size: 0 })).rejects.toThrow(/ck_assets_size/);
    await expect(insertAsset({ status: 'QUARANTINED' })).rejects.toThrow(/ck_assets_quarantine/);
  });

  it('keeps one rendition per kind and page, and page only on page images', async () => {
    const id = crypto.randomUUID();
    await insertAsset({ id, status: 'READY', storage_key: `assets/${id}/x` });
    const rendition = (kind: string, page: number | null) =>
      m.dataSource.query(
        `INSERT INTO "media".asset_renditions (id, asset_id, kind, page, storage_key, content_type, size)
         VALUES (gen_random_uuid(), $1, $2, $3, 'k', 'image/png', 1)`,
        [id, kind, page],
      );
    await rendition('PDF', null);
    await rendition('PAGE_IMAGE', 1);
    await expect(rendition('PDF', null)).rejects.toThrow(/uq_asset_renditions_kind_page/);
    await expect(rendition('PAGE_IMAGE', null)).rejects.toThrow(/ck_asset_renditions_page/);
    await expect(rendition('THUMBNAIL', 2)).rejects.toThrow(/ck_asset_renditions_page/);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toContain('assets');
  });
});
