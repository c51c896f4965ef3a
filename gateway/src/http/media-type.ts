export const APPLICATION_JSON = 'application/json';
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

export type GraphqlMediaType = typeof APPLICATION_JSON | typeof GRAPHQL_RESPONSE_JSON;

type Range = { type: string; subtype: string; q: number; order: number };

function parseAccept(accept: string): Range[] {
  const ranges: Range[] = [];
  accept.split(',').forEach((part, order) => {
    const [mediaRange, ...params] = part.trim().split(';');
    const [type, subtype] = (mediaRange ?? '').trim().toLowerCase().split('/');
    if (!type || !subtype) return;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value);
    }
    ranges.push({ type, subtype, q: Number.isFinite(q) ? q : 0, order });
  });
  return ranges;
}

/**
 * The media type of a GraphQL response for this `Accept` header, chosen like Apollo Server does
 * (Negotiator: quality, then specificity, then order in the header; `application/json` wins ties).
 * No header → `application/json`; nothing acceptable → null.
 */
export function preferredGraphqlMediaType(accept: string | undefined | null): GraphqlMediaType | null {
  if (!accept?.trim()) return APPLICATION_JSON;
  const ranges = parseAccept(accept);
  const candidates = ([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON] as const).map((mediaType, index) => {
    const [type, subtype] = mediaType.split('/') as [string, string];
    let best: { q: number; specificity: number; order: number } | null = null;
    for (const range of ranges) {
      const specificity =
        range.type === type && range.subtype === subtype
          ? 2
          : range.type === type && range.subtype === '*'
            ? 1
            : range.type === '*' && range.subtype === '*'
              ? 0
              : -1;
      if (specificity < 0) continue;
      if (!best || specificity > best.specificity) best = { q: range.q, specificity, order: range.order };
    }
    return { mediaType, index, ...(best ?? { q: 0, specificity: -1, order: Infinity }) };
  });
  const sorted = candidates
    .filter((c) => c.q > 0)
    .sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order || a.index - b.index);
  return sorted[0]?.mediaType ?? null;
}
