import { randomUUID } from 'node:crypto';
import { BadUserInputError } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';

const C = '"commerce"';

export type TaxRate = {
  id: string;
  country: string;
  region: string | null;
  rateBps: number;
  inclusive: boolean;
};

export function assertCountry(country: string): string {
  const upper = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper))
    throw new BadUserInputError('"country" must be an ISO 3166-1 alpha-2 code.', 'country');
  return upper;
}

export function assertRegion(region: string | null | undefined): string | null {
  if (region === null || region === undefined || region === '') return null;
  const upper = region.toUpperCase();
  if (!/^[A-Z0-9-]{1,10}$/.test(upper))
    throw new BadUserInputError('"region" must be a short region code.', 'region');
  return upper;
}

type Row = { id: string; country: string; region: string | null; rate_bps: number; inclusive: boolean };
const toRate = (r: Row): TaxRate => ({
  id: r.id,
  country: r.country,
  region: r.region,
  rateBps: r.rate_bps,
  inclusive: r.inclusive,
});

/** Tax rate table by country and optional region; a region's rate wins over its country's; none → 0 %. */
export class TaxService {
  constructor(private readonly dataSource: DataSource) {}

  async setRate(input: {
    country: string;
    region?: string | null;
    rateBps: number;
    inclusive: boolean;
  }): Promise<TaxRate> {
    const country = assertCountry(input.country);
    const region = assertRegion(input.region);
    if (!Number.isInteger(input.rateBps) || input.rateBps < 0 || input.rateBps > 5000)
      throw new BadUserInputError('"rateBps" must be 0–5000 (0–50 %).', 'rateBps');
    const [row] = (await this.dataSource.query(
      `INSERT INTO ${C}.tax_rates (id, country, region, rate_bps, inclusive) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT uq_tax_rates_place
       DO UPDATE SET rate_bps = EXCLUDED.rate_bps, inclusive = EXCLUDED.inclusive, updated_at = now()
       RETURNING id, country, region, rate_bps, inclusive`,
      [randomUUID(), country, region, input.rateBps, input.inclusive],
    )) as Row[];
    return toRate(row!);
  }

  async list(): Promise<TaxRate[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, country, region, rate_bps, inclusive FROM ${C}.tax_rates ORDER BY country, region NULLS FIRST LIMIT 500`,
    );
    return rows.map(toRate);
  }

  async rateFor(
    manager: EntityManager,
    country: string,
    region: string | null,
  ): Promise<{ rateBps: number; inclusive: boolean }> {
    const rows: Row[] = await manager.query(
      `SELECT id, country, region, rate_bps, inclusive FROM ${C}.tax_rates
       WHERE country = $1 AND (region IS NULL OR region = $2) ORDER BY region NULLS LAST LIMIT 1`,
      [country, region],
    );
    const row = rows[0];
    return row ? { rateBps: row.rate_bps, inclusive: row.inclusive } : { rateBps: 0, inclusive: false };
  }
}
