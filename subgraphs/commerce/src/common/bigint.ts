/** `bigint` columns come back from pg as strings; money amounts stay far below 2^53. */
export const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
