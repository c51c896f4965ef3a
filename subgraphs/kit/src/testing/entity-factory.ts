import type { DataSource, DeepPartial, EntityTarget, ObjectLiteral } from 'typeorm';

export type EntityFactory<T extends ObjectLiteral> = {
  /** A plain object with defaults for sequence number `n`, overridden by `overrides`. */
  build: (overrides?: DeepPartial<T>) => DeepPartial<T>;
  /** Inserts one row (through the entity's repository) and returns it as stored. */
  create: (overrides?: DeepPartial<T>) => Promise<T>;
  /** Inserts `count` rows in one statement. */
  createMany: (count: number, overrides?: (index: number) => DeepPartial<T>) => Promise<T[]>;
};

/**
 * Test data factories over real tables: defaults come from a function of a per-factory sequence, so
 * unique columns stay unique; anything a test cares about is passed explicitly.
 */
export function defineFactory<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  defaults: (sequence: number) => DeepPartial<T>,
): EntityFactory<T> {
  let sequence = 0;
  const build = (overrides: DeepPartial<T> = {} as DeepPartial<T>) =>
    ({ ...defaults(++sequence), ...overrides }) as DeepPartial<T>;
  const repository = () => dataSource.getRepository(entity);
  return {
    build,
    create: async (overrides) => repository().save(repository().create(build(overrides))),
    createMany: async (count, overrides) => {
      const rows = Array.from({ length: count }, (_, index) =>
        repository().create(build(overrides?.(index))),
      );
      return repository().save(rows, { chunk: 500 });
    },
  };
}
