import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from '../errors/domain-error.js';
import type { Connection, ConnectionArgs } from './connection.types.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): CursorValue[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError('The cursor is not valid.', 'after');
}

/** Validates `first` against the cap; BAD_USER_INPUT outside 1..max. */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new BadUserInputError(`"first" must be between 1 and ${max}.`, 'first');
  }
  return first;
}

export type PaginateOptions<T> = {
  /** Alias used in the query builder. */
  alias: string;
  /** Sort property (e.g. `createdAt`); ties are broken by `id`. */
  sortBy: keyof T & string;
  direction: 'ASC' | 'DESC';
  max?: number;
};

function cursorValueOf(value: unknown): CursorValue {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

const TIMESTAMP_TZ_TYPES = new Set(['timestamptz', 'timestamp with time zone']);
const TIMESTAMP_TYPES = new Set(['timestamp', 'timestamp without time zone']);
const CURSOR_SORT_ALIAS = 'kit_cursor_sort';

/**
 * For timestamp sort columns, a SQL expression giving the value with full (microsecond) precision.
 * A JS Date keeps milliseconds only, so a cursor built from the entity would skip rows that differ
 * below the millisecond (e.g. `now()` defaults).
 */
function preciseSortExpression<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  sortBy: string,
): string | null {
  const column = qb.expressionMap.findAliasByName(alias).metadata.findColumnWithPropertyPath(sortBy);
  if (!column) return null;
  // `Date` without an explicit type maps to `timestamp without time zone` in the Postgres driver.
  const type = typeof column.type === 'string' ? column.type : column.type === Date ? 'timestamp' : '';
  const ref = `${qb.escape(alias)}.${qb.escape(column.databaseName)}`;
  if (TIMESTAMP_TZ_TYPES.has(type))
    return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  if (TIMESTAMP_TYPES.has(type)) return `to_char(${ref}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  return null;
}

/**
 * Keyset pagination over (sortBy, id): one SQL query per page whatever its size, stable under inserts.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  args: ConnectionArgs,
  options: PaginateOptions<T>,
): Promise<Connection<T>> {
  const limit = pageSize(args.first, options.max);
  const { alias, sortBy, direction } = options;
  const op = direction === 'DESC' ? '<' : '>';
  if (args.after) {
    const [sortValue, id] = decodeCursor(args.after, 2);
    qb.andWhere(`(${alias}.${sortBy}, ${alias}.id) ${op} (:cursorSort, :cursorId)`, {
      cursorSort: sortValue,
      cursorId: id,
    });
  }
  const precise = preciseSortExpression(qb, alias, sortBy);
  if (precise) qb.addSelect(precise, CURSOR_SORT_ALIAS);
  qb.orderBy(`${alias}.${sortBy}`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .take(limit + 1);
  let rows: T[];
  const preciseById = new Map<string, string>();
  if (precise) {
    const { entities, raw } = await qb.getRawAndEntities<Record<string, unknown>>();
    rows = entities;
    raw.forEach((record, index) => {
      const id = record[`${alias}_id`] ?? entities[index]?.id;
      const value = record[CURSOR_SORT_ALIAS];
      if (typeof id === 'string' && typeof value === 'string') preciseById.set(id, value);
    });
  } else {
    rows = await qb.getMany();
  }
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({
    node,
    cursor: encodeCursor([preciseById.get(node.id) ?? cursorValueOf(node[sortBy]), node.id]),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Pages over an in-memory list already bounded by the caller (e.g. a capped set). */
export function connectionFromArray<T extends { id: string }>(
  items: T[],
  args: ConnectionArgs,
  max = MAX_PAGE_SIZE,
): Connection<T> {
  const limit = pageSize(args.first, max);
  const start = args.after ? Number(decodeCursor(args.after, 1)[0]) + 1 : 0;
  const page = items.slice(start, start + limit);
  const edges = page.map((node, i) => ({ node, cursor: encodeCursor([start + i]) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + limit < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
