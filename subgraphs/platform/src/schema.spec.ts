import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { buildPlatformSchema } from './schema.js';

describe('platform schema', () => {
  it('builds a federation subgraph that extends User with featureFlags only', async () => {
    const { sdl } = await buildPlatformSchema();
    const user = /type User @key\(fields: "id"\) \{([^}]*)\}/.exec(sdl)?.[1] ?? '';
    const fields = user
      .replace(/"""[\s\S]*?"""/g, '')
      .trim()
      .split(/\s*\n\s*/);
    expect(fields).toEqual(['id: ID!', 'featureFlags: [FlagEvaluation!]!']);
    for (const field of [
      'featureFlag(key: String!): FeatureFlag',
      'evaluateFeatureFlags(input: EvaluateFeatureFlagsInput!): [FlagEvaluation!]!',
      'publicFeatureFlags(input: PublicFeatureFlagsInput!): [FlagEvaluation!]!',
      'publicConfig: [ConfigEntry!]!',
      'runtimeConfig: [ConfigEntry!]!',
      'retentionPolicies: [RetentionPolicy!]!',
      'setConfigEntry(input: SetConfigEntryInput!): SetConfigEntryPayload!',
      'runRetention(input: RunRetentionInput!): RunRetentionPayload!',
    ]) {
      expect(sdl).toContain(field);
    }
    expect(sdl).toMatch(/auditEvents\([\s\S]*?filter: AuditEventFilter\s*\): AuditEventConnection!/);
    expect(sdl).not.toMatch(/getSecret|secretValue/);
  });
});
