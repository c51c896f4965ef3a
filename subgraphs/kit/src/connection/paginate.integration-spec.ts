import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataSource } from '../data/data-source.factory.js';
import { DomainError } from '../errors/domain-error.js';
import { QueryCounter } from '../testing/query-counter.js';
import { createTestDatabase, truncateSchema, type TestDatabase } from '../testing/test-database.js';
import { encodeCursor, paginate } from './paginate.js';

const SCHEMA = 'kit_paginate';

@Entity('items')
class ItemEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'integer' })
  rank!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

let database: TestDatabase;
let dataSource: DataSource;
const counter = new QueryCounter();

async function insertItems(count: number, createdAt: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await dataSource.query(
      `INSERT INTO "${SCHEMA}".items (id, title, rank, created_at) VALUES ($1, $2, $3, $4::timestamptz)`,
      [randomUUID(), `item ${i}`, i % 4, createdAt(i)],
    );
  }
}

function query() {
  return dataSource.getRepository(ItemEntity).createQueryBuilder('item');
}

/** Walks every page with `first`, counting statements per page; returns the titles in page order. */
async function walk(
  first: number,
  options: { sortBy: 'createdAt' | 'rank'; direction: 'ASC' | 'DESC' },
): Promise<{ titles: string[]; pages: number; queriesPerPage: number[] }> {
  const titles: string[] = [];
  const queriesPerPage: number[] = [];
  let after: string | null = null;
  for (let pages = 1; pages < 1000; pages += 1) {
    const { result, queries } = await counter.measure(() =>
      paginate(query(), { first, after }, { alias: 'item', ...options }),
    );
    queriesPerPage.push(queries);
    titles.push(...result.edges.map((e) => e.node.title));
    expect(result.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(result.pageInfo.startCursor).toBe(result.edges[0]?.cursor ?? null);
    expect(result.pageInfo.endCursor).toBe(result.edges.at(-1)?.cursor ?? null);
    if (!result.pageInfo.hasNextPage) return { titles, pages, queriesPerPage };
    after = result.pageInfo.endCursor;
  }
  throw new Error('pagination did not terminate');
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createDataSource({
    url: database.url,
    schema: SCHEMA,
    entities: [ItemEntity],
    migrations: [],
    logger: counter,
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${SCHEMA}"`);
  await dataSource.query(`
    CREATE TABLE "${SCHEMA}".items (
      id uuid NOT NULL, title text NOT NULL, rank integer NOT NULL, created_at timestamptz NOT NULL,
      CONSTRAINT pk_items PRIMARY KEY (id))`);
  await dataSource.query(`CREATE INDEX ix_items_created_at_id ON "${SCHEMA}".items (created_at, id)`);
});

beforeEach(async () => {
  await truncateSchema(dataSource, SCHEMA);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('paginate (keyset) against a real table', () => {
  it('walks every row exactly once, in order, with one SQL statement per page', async () => {
    await insertItems(45, (i) => `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`);
    const expected = Array.from({ length: 45 }, (_, i) => `item ${44 - i}`);

    const walked = await walk(10, { sortBy: 'createdAt', direction: 'DESC' });
    expect(walked.titles).toEqual(expected);
    expect(walked.pages).toBe(5);
    expect(walked.queriesPerPage).toEqual([1, 1, 1, 1, 1]);

    const ascending = await walk(20, { sortBy: 'createdAt', direction: 'ASC' });
    expect(ascending.titles).toEqual([...expected].reverse());
    expect(ascending.pages).toBe(3);
  });

  it('breaks ties on the sort column by id (no row skipped or repeated)', async () => {
    await insertItems(30, () => '2026-01-01T00:00:00Z');
    const walked = await walk(7, { sortBy: 'rank', direction: 'ASC' });
    expect(walked.titles).toHaveLength(30);
    expect(new Set(walked.titles).size).toBe(30);
    const sameTime = await walk(4, { sortBy: 'createdAt', direction: 'DESC' });
    expect(new Set(sameTime.titles).size).toBe(30);
  });

  it('does not skip rows whose timestamps differ below the millisecond (Postgres keeps microseconds)', async () => {
    // now()-style defaults store microseconds; a JS Date only holds milliseconds.
    await insertItems(6, (i) => `2026-01-01T00:00:00.123${String(100 + i * 100).padStart(3, '0')}Z`);
    const descending = await walk(1, { sortBy: 'createdAt', direction: 'DESC' });
    expect(descending.titles).toEqual(['item 5', 'item 4', 'item 3', 'item 2', 'item 1', 'item 0']);
    const ascending = await walk(2, { sortBy: 'createdAt', direction: 'ASC' });
    expect(ascending.titles).toEqual(['item 0', 'item 1', 'item 2', 'item 3', 'item 4', 'item 5']);
  });

  it('defaults to 20 and accepts the cap of 100', async () => {
    await insertItems(105, (i) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
    const byDefault = await paginate(query(), {}, { alias: 'item', sortBy: 'createdAt', direction: 'ASC' });
    expect(byDefault.edges).toHaveLength(20);
    const capped = await paginate(
      query(),
      { first: 100 },
      { alias: 'item', sortBy: 'createdAt', direction: 'ASC' },
    );
    expect(capped.edges).toHaveLength(100);
    expect(capped.pageInfo.hasNextPage).toBe(true);
  });

  it.each([101, 0, -1, 2.5])('rejects first=%s with BAD_USER_INPUT without querying', async (first) => {
    counter.reset();
    const error = await paginate(
      query(),
      { first },
      { alias: 'item', sortBy: 'createdAt', direction: 'ASC' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).extensions['field']).toBe('first');
    expect(counter.count).toBe(0);
  });

  it.each([
    ['not base64 json', 'not-a-cursor!'],
    ['wrong arity', encodeCursor(['2026-01-01T00:00:00.000Z'])],
    ['wrong value types', Buffer.from(JSON.stringify([{}, null])).toString('base64url')],
  ])('rejects a bad cursor (%s) with BAD_USER_INPUT', async (_label, after) => {
    counter.reset();
    const error = await paginate(
      query(),
      { first: 5, after },
      { alias: 'item', sortBy: 'createdAt', direction: 'ASC' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).extensions['field']).toBe('after');
    expect(counter.count).toBe(0);
  });

  it('an empty table gives an empty page', async () => {
    const page = await paginate(
      query(),
      { first: 5 },
      { alias: 'item', sortBy: 'createdAt', direction: 'DESC' },
    );
    expect(page).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });
});
