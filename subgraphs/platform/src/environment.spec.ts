import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { readPlatformConfig } from './environment.js';

describe('readPlatformConfig', () => {
  it('has working defaults', () => {
    const config = readPlatformConfig({ NODE_ENV: 'development' });
    expect(config).toMatchObject({
      port: 4002,
      flagEnvironment: 'development',
      flagCacheTtlMs: 30_000,
      queuePrefix: 'edugraph',
      retentionCron: '0 3 * * *',
      retentionScheduleEnabled: true,
      retentionScheduleDryRun: false,
      backgroundJobs: true,
    });
  });

  it('reads the flag environment and refuses bad values', () => {
    expect(readPlatformConfig({ PLATFORM_ENVIRONMENT: 'staging' }).flagEnvironment).toBe('staging');
    expect(() => readPlatformConfig({ PLATFORM_ENVIRONMENT: 'Staging Two' })).toThrow(/lower-kebab/);
  });

  it('caps the flag cache TTL at 30 s', () => {
    expect(readPlatformConfig({ FLAG_CACHE_TTL_MS: '5000' }).flagCacheTtlMs).toBe(5000);
    expect(() => readPlatformConfig({ FLAG_CACHE_TTL_MS: '60000' })).toThrow();
  });

  it('requires the IP hash secret in production', () => {
    expect(() => readPlatformConfig({ NODE_ENV: 'production' })).toThrow(/AUDIT_IP_HASH_SECRET/);
    expect(
      readPlatformConfig({ NODE_ENV: 'production', AUDIT_IP_HASH_SECRET: 's3cret' }).auditIpHashSecret,
    ).toBe('s3cret');
  });
});
