import { BadUserInputError } from '@edugraph/kit';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function assertUuid(value: string, field: string): string {
  if (!isUuid(value)) throw new BadUserInputError(`"${field}" must be a UUID.`, field);
  return value.toLowerCase();
}

export function assertLength(value: string, field: string, min: number, max: number): string {
  if (value.length < min || value.length > max) {
    throw new BadUserInputError(`"${field}" must be ${min}–${max} characters.`, field);
  }
  return value;
}
