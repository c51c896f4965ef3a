import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../data/data-source.factory.js';
import { QueryCounter } from './query-counter.js';
import { defineFactory } from './entity-factory.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

@Entity('widgets')
class Widget {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer' })
  size!: number;
}

let database: TestDatabase;
const counter = new QueryCounter();
let dataSource: ReturnType<typeof createDataSource>;

beforeAll(async () => {
  database = await createTestDatabase('edugraph_kit_factory');
  dataSource = createDataSource({
    url: database.url,
    schema: 'kit_factory',
    entities: [Widget],
    migrations: [],
    logger: counter,
  });
  await dataSource.initialize();
  await dataSource.query('CREATE SCHEMA kit_factory');
  await dataSource.query(
    'CREATE TABLE kit_factory.widgets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL UNIQUE, size integer NOT NULL)',
  );
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('defineFactory', () => {
  it('builds unique defaults per sequence, applies overrides and stores rows', async () => {
    const widgets = defineFactory<Widget>(dataSource, Widget, (n) => ({ name: `widget-${n}`, size: n }));
    expect(widgets.build({ size: 99 })).toEqual({ name: 'widget-1', size: 99 });
    const stored = await widgets.create({ size: 7 });
    expect(stored).toMatchObject({ name: 'widget-2', size: 7 });
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    counter.reset();
    const many = await widgets.createMany(50, (i) => ({ size: i }));
    expect(new Set(many.map((w) => w.name)).size).toBe(50);
    expect(counter.queries.filter((q) => q.startsWith('INSERT')).length).toBe(1);
    const rows = (await dataSource.query('SELECT count(*)::int AS count FROM kit_factory.widgets')) as {
      count: number;
    }[];
    expect(rows[0]?.count).toBe(51);
  });
});
