import { BadUserInputError } from '@edugraph/kit';

export type ConfigValueType = 'STRING' | 'INT' | 'BOOLEAN' | 'JSON';
export type ConfigExposure = 'PUBLIC' | 'AUTHENTICATED' | 'OPS' | 'SECRET';

export const CONFIG_KEY_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;
export const MAX_CONFIG_KEY_LENGTH = 120;
export const MAX_STRING_LENGTH = 10_000;
export const MAX_JSON_BYTES = 64 * 1024;

export function assertConfigKey(key: string): string {
  if (key.length > MAX_CONFIG_KEY_LENGTH || !CONFIG_KEY_PATTERN.test(key)) {
    throw new BadUserInputError(
      'A config key is dotted lower-case segments, e.g. "support.email" (letters, digits, "_" and "-"; at most 120 characters).',
      'key',
    );
  }
  return key;
}

/**
 * Validates a value against its declared type and returns it normalised. INT must be a safe integer,
 * STRING at most 10,000 characters, BOOLEAN a boolean, JSON any JSON value up to 64 KiB (not null).
 */
export function validateConfigValue(
  type: ConfigValueType,
  value: unknown,
): string | number | boolean | object {
  const invalid = (message: string) => new BadUserInputError(message, 'value');
  switch (type) {
    case 'STRING':
      if (typeof value !== 'string') throw invalid('The value must be a string for type STRING.');
      if (value.length > MAX_STRING_LENGTH)
        throw invalid(`A STRING value is at most ${MAX_STRING_LENGTH} characters.`);
      return value;
    case 'INT':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw invalid('The value must be an integer for type INT.');
      return value;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw invalid('The value must be true or false for type BOOLEAN.');
      return value;
    case 'JSON': {
      if (value === null || value === undefined) throw invalid('A JSON value cannot be null.');
      let encoded: string;
      try {
        encoded = JSON.stringify(value);
      } catch {
        throw invalid('The value is not serialisable JSON.');
      }
      if (Buffer.byteLength(encoded, 'utf8') > MAX_JSON_BYTES)
        throw invalid('A JSON value is at most 64 KiB.');
      return JSON.parse(encoded) as string | number | boolean | object;
    }
  }
}

/** Which exposures a viewer may read through GraphQL (SECRET entries are listed to ADMIN with the value redacted). */
export function readableExposures(viewer: { signedIn: boolean; roles: readonly string[] }): ConfigExposure[] {
  const exposures: ConfigExposure[] = ['PUBLIC'];
  if (!viewer.signedIn) return exposures;
  exposures.push('AUTHENTICATED');
  if (viewer.roles.includes('ADMIN') || viewer.roles.includes('SUPPORT')) exposures.push('OPS');
  if (viewer.roles.includes('ADMIN')) exposures.push('SECRET');
  return exposures;
}
