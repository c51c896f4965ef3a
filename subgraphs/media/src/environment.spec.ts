import { describe, expect, it } from 'vitest';
import { readMediaConfig } from './environment.js';

describe('media environment', () => {
  it('defaults to local storage on port 4004 with clamd on the repository socket', () => {
    const config = readMediaConfig({});
    expect(config).toMatchObject({
      port: 4004,
      storage: 'local',
      s3: null,
      clamdSocket: '/tmp/edugraph-clamd.sock',
      startClamd: true,
      backgroundJobs: true,
      viewRules: {},
    });
  });

  it('reads S3 settings and HTTP view rules', () => {
    const config = readMediaConfig({
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
      S3_FORCE_PATH_STYLE: 'true',
      MEDIA_VIEW_RULES: 'learning=http://127.0.0.1:4005/internal/media/may-view, community=http://c/r',
    });
    expect(config.s3).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'auto',
      bucket: 'media',
      accessKeyId: 'k',
      secretAccessKey: 's',
      forcePathStyle: true,
    });
    expect(config.viewRules).toEqual({
      learning: 'http://127.0.0.1:4005/internal/media/may-view',
      community: 'http://c/r',
    });
  });

  it('refuses bad settings', () => {
    expect(() => readMediaConfig({ MEDIA_STORAGE: 'ftp' })).toThrow(/local or s3/);
    expect(() => readMediaConfig({ MEDIA_STORAGE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => readMediaConfig({ NODE_ENV: 'production' })).toThrow(/MEDIA_SIGNING_SECRET/);
    expect(() => readMediaConfig({ MEDIA_VIEW_RULES: 'nourl' })).toThrow(/domain=url/);
    expect(readMediaConfig({ NODE_ENV: 'production', MEDIA_SIGNING_SECRET: 'x' }).startClamd).toBe(false);
  });
});
