import type DataLoader from 'dataloader';

/** A per-request loader definition: created lazily, once per request, on first use. */
export type LoaderFactory<K, V> = () => DataLoader<K, V>;

/** Per-request cache of DataLoaders keyed by their factory. */
export class LoaderRegistry {
  private readonly loaders = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = factory() as DataLoader<unknown, unknown>;
      this.loaders.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** Orders rows to match keys; missing keys map to null. */
export function byKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map<K, V>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups rows by a foreign key to match keys; missing keys map to []. */
export function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const index = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  }
  return keys.map((key) => index.get(key) ?? []);
}
