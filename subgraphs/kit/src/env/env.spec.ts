import { describe, expect, it } from 'vitest';
import { EnvError, envBool, envInt, readCommonSubgraphConfig } from './env.js';

describe('env readers', () => {
  it('parses integers and booleans, with ranges, and names the variable when wrong', () => {
    expect(envInt({ N: '42' }, 'N', 1)).toBe(42);
    expect(envInt({}, 'N', 7)).toBe(7);
    expect(() => envInt({ N: '4.2' }, 'N', 1)).toThrow(/N must be an integer/);
    expect(() => envInt({ N: '0' }, 'N', 1, { min: 1 })).toThrow(EnvError);
    expect(envBool({ B: 'yes' }, 'B', false)).toBe(true);
    expect(() => envBool({ B: 'maybe' }, 'B', false)).toThrow(/B must be a boolean/);
  });

  it('listens on loopback in development and on every interface in production unless HOST is set', () => {
    expect(readCommonSubgraphConfig({}, { port: 4001 }).host).toBe('127.0.0.1');
    expect(readCommonSubgraphConfig({ NODE_ENV: 'production' }, { port: 4001 }).host).toBe('0.0.0.0');
    expect(readCommonSubgraphConfig({ NODE_ENV: 'production', HOST: '10.0.0.5' }, { port: 4001 }).host).toBe(
      '10.0.0.5',
    );
    expect(() => readCommonSubgraphConfig({ NODE_ENV: 'staging' }, { port: 4001 })).toThrow(/NODE_ENV/);
  });
});
