import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from './quiz-view.js';

describe('formatTimeLeft', () => {
  it('counts down in m:ss and stops at zero', () => {
    const deadline = '2026-11-28T10:10:00.000Z';
    expect(formatTimeLeft(deadline, Date.parse('2026-11-28T10:00:00.000Z'))).toBe('10:00');
    expect(formatTimeLeft(deadline, Date.parse('2026-11-28T10:09:58.500Z'))).toBe('0:02');
    expect(formatTimeLeft(deadline, Date.parse('2026-11-28T10:11:00.000Z'))).toBe('0:00');
  });
});
