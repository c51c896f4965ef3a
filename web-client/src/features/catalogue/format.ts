import type { CourseLevel } from '../../generated/graphql.js';

const LEVELS: Record<CourseLevel, string> = {
  BEGINNER: 'Beginner',
  INTERMEDIATE: 'Intermediate',
  ADVANCED: 'Advanced',
  ALL_LEVELS: 'All levels',
};

export const formatLevel = (level: CourseLevel): string => LEVELS[level];

/** Money is integer minor units + ISO currency (ARCHITECTURE.md §8). */
export function formatMoney(amount: number, currency: string): string {
  const digits =
    new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 10 ** digits);
}

export function formatPrice(course: {
  isFree: boolean;
  price: { amount: number; currency: string } | null;
}): string {
  if (course.isFree) return 'Free';
  return course.price ? formatMoney(course.price.amount, course.price.currency) : 'Not for sale yet';
}

export function formatRating(rating: { average: number | null; count: number }): string {
  if (rating.average === null || rating.count === 0) return 'No reviews yet';
  return `${rating.average.toFixed(1)} of 5 (${rating.count} review${rating.count === 1 ? '' : 's'})`;
}
