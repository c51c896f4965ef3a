import { isUuid } from '../../common/validation.js';

/** The `order.paid` contract commerce publishes (ARCHITECTURE.md §5). */
export const ORDER_PAID = 'order.paid';

export type OrderLineKind = 'COURSE' | 'EBOOK' | 'COMMUNITY_TIER' | 'TUTOR_HOURS' | 'LIVE_TICKET';

export type OrderPaidPayload = {
  orderId: string;
  userId: string;
  currency: string;
  totalMinor: number;
  paidAt: string;
  lines: { kind: OrderLineKind; refId: string; quantity: number }[];
};

const KINDS = new Set<string>(['COURSE', 'EBOOK', 'COMMUNITY_TIER', 'TUTOR_HOURS', 'LIVE_TICKET']);

/** The payload if it has the contract's shape (unknown line kinds are dropped), else null. */
export function parseOrderPaid(payload: Record<string, unknown>): OrderPaidPayload | null {
  const { orderId, userId, currency, totalMinor, paidAt, lines } = payload;
  if (typeof orderId !== 'string' || !orderId) return null;
  if (typeof userId !== 'string' || !isUuid(userId)) return null;
  if (typeof currency !== 'string' || typeof totalMinor !== 'number' || typeof paidAt !== 'string')
    return null;
  if (!Array.isArray(lines)) return null;
  const parsed: OrderPaidPayload['lines'] = [];
  for (const line of lines as unknown[]) {
    if (typeof line !== 'object' || line === null) return null;
    const { kind, refId, quantity } = line as Record<string, unknown>;
    if (typeof kind !== 'string' || typeof refId !== 'string' || typeof quantity !== 'number') return null;
    if (KINDS.has(kind)) parsed.push({ kind: kind as OrderLineKind, refId, quantity });
  }
  return { orderId, userId: userId.toLowerCase(), currency, totalMinor, paidAt, lines: parsed };
}
