import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_UPLOAD_MAX_BYTES, mediaTarget, readMediaProxySettings } from './media-proxy.js';

describe('media proxy settings', () => {
  it("defaults to the media subgraph's origin and media's largest upload cap", () => {
    const settings = readMediaProxySettings({});
    expect(settings).toEqual({
      url: undefined,
      maxUploadBytes: DEFAULT_MEDIA_UPLOAD_MAX_BYTES,
      idleTimeoutMs: 60_000,
    });
    expect(mediaTarget(settings, [{ name: 'media', url: 'http://10.0.0.7:4004/graphql' }])).toBe(
      'http://10.0.0.7:4004/',
    );
    expect(mediaTarget(settings, [{ name: 'catalog', url: 'http://10.0.0.8:4010/graphql' }])).toBeNull();
  });

  it('prefers MEDIA_URL and refuses one that is not a URL', () => {
    const settings = readMediaProxySettings({
      MEDIA_URL: 'http://media.internal:9000',
      MEDIA_UPLOAD_MAX_BYTES: '1024',
    });
    expect(settings.maxUploadBytes).toBe(1024);
    expect(mediaTarget(settings, [{ name: 'media', url: 'http://10.0.0.7:4004/graphql' }])).toBe(
      'http://media.internal:9000/',
    );
    expect(() => readMediaProxySettings({ MEDIA_URL: 'not a url' })).toThrow(/MEDIA_URL must be a URL/);
  });
});
