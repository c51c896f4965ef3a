import { describe, expect, it } from 'vitest';
import { safeNext } from './guards.js';

describe('safeNext', () => {
  it('keeps same-site paths and refuses everything else', () => {
    expect(safeNext('?next=%2Fcourses%2Fa%3Fx%3D1')).toBe('/courses/a?x=1');
    expect(safeNext('?next=https%3A%2F%2Fevil.test')).toBe('/');
    expect(safeNext('?next=%2F%2Fevil.test')).toBe('/');
    expect(safeNext('?next=%2F%5Cevil.test')).toBe('/');
    expect(safeNext('')).toBe('/');
  });
});
