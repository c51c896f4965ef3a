import { randomUUID } from 'node:crypto';
import type { DomainEvent, DomainEventHandler, Logger } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_TIER_GRANTED,
  COMMUNITY_TIER_REVOKED,
  recordCommunityEvent,
} from '../../common/community-events.js';
import { isUuid } from '../../common/validation.js';
import type { MembershipService } from '../membership/membership.service.js';
import {
  PaywallTierEntity,
  TierGrantEntity,
  type TierGrantStatus,
  type TierRevokeReason,
} from './paywall.entity.js';

/** Commerce's tier subscription events (subgraphs/commerce tier-subscription.service.ts). */
export const SUBSCRIPTION_ACTIVATED = 'subscription.activated';
export const SUBSCRIPTION_RENEWED = 'subscription.renewed';
export const SUBSCRIPTION_CANCELED = 'subscription.canceled';
export const SUBSCRIPTION_EXPIRED = 'subscription.expired';

/** The payload commerce records for every subscription event. */
export type SubscriptionEventPayload = {
  subscriptionId: string;
  userId: string;
  tierId: string;
  /** The subscription's status after the change (`CANCELED` for an immediate cancel). */
  status: string;
  billingInterval: string;
  /** End of the paid period (or of the trial; `now` for an immediate cancel); null when not applicable. */
  accessUntil: string | null;
  orderId?: string;
};

export type SubscriptionOutcome =
  'granted' | 'held' | 'extended' | 'kept' | 'revoked' | 'tombstoned' | 'ignored';

function parse(event: DomainEvent): SubscriptionEventPayload | null {
  const p = event.payload as Partial<SubscriptionEventPayload>;
  if (
    typeof p.subscriptionId !== 'string' ||
    typeof p.userId !== 'string' ||
    typeof p.tierId !== 'string' ||
    !isUuid(p.subscriptionId) ||
    !isUuid(p.userId) ||
    !isUuid(p.tierId)
  )
    return null;
  return {
    subscriptionId: p.subscriptionId.toLowerCase(),
    userId: p.userId.toLowerCase(),
    tierId: p.tierId.toLowerCase(),
    status: typeof p.status === 'string' ? p.status : '',
    billingInterval: typeof p.billingInterval === 'string' ? p.billingInterval : '',
    accessUntil: typeof p.accessUntil === 'string' ? p.accessUntil : null,
  };
}

function dateOrNull(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Tier grants from commerce's subscription events (consumer `community`, kit inbox — each event has
 * its effect once; the grant row is unique per subscription, so a republished event or two deliveries
 * at once still make one grant and one `community.tier.granted`):
 *
 * - `subscription.activated` (and `renewed`, which also carries the new period end) → the buyer holds
 *   the tier. A buyer who is not an ACTIVE member becomes one (a paid membership opens even private
 *   or invite-only communities); a BANNED buyer is recorded as HELD — nothing is granted and the ban
 *   stays (commerce keeps the payment; refunds are an operator's decision).
 * - `subscription.canceled`: at the period's end (status still ACTIVE) the access stays until
 *   `expired`; an immediate cancel (status CANCELED) revokes.
 * - `subscription.expired` → revoked.
 * - `subscription.past_due` is not consumed: access continues during commerce's grace period.
 *
 * A revoked grant is final: an `activated` that arrives after `expired` or an immediate cancel (out of
 * order) finds the REVOKED row — written as a tombstone when the grant never existed — and grants nothing.
 * Losing a tier does not end the membership.
 */
export class TierGrantService {
  constructor(
    private readonly memberships: MembershipService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  eventHandlers(): Record<string, DomainEventHandler> {
    const run =
      (handle: (manager: EntityManager, payload: SubscriptionEventPayload) => Promise<SubscriptionOutcome>) =>
      async (event: DomainEvent, manager: EntityManager) => {
        const payload = parse(event);
        if (!payload) {
          this.logger.warn({ eventId: event.id, type: event.type }, 'paywall: malformed subscription event');
          return;
        }
        const outcome = await handle(manager, payload);
        this.logger.debug({ eventId: event.id, type: event.type, outcome }, 'paywall: subscription event');
      };
    return {
      [SUBSCRIPTION_ACTIVATED]: run((m, p) => this.activate(m, p)),
      [SUBSCRIPTION_RENEWED]: run((m, p) => this.activate(m, p)),
      [SUBSCRIPTION_CANCELED]: run((m, p) =>
        p.status === 'CANCELED' ? this.revoke(m, p, 'CANCELED') : this.keep(m, p),
      ),
      [SUBSCRIPTION_EXPIRED]: run((m, p) => this.revoke(m, p, 'EXPIRED')),
    };
  }

  private tier(manager: EntityManager, tierId: string): Promise<PaywallTierEntity | null> {
    return manager.getRepository(PaywallTierEntity).findOneBy({ id: tierId });
  }

  private lockGrant(manager: EntityManager, subscriptionId: string): Promise<TierGrantEntity | null> {
    return manager
      .getRepository(TierGrantEntity)
      .findOne({ where: { subscriptionId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inserts the subscription's row unless it exists (ON CONFLICT: a concurrent delivery made it). */
  private async insert(
    manager: EntityManager,
    tier: PaywallTierEntity,
    p: SubscriptionEventPayload,
    status: TierGrantStatus,
    revokeReason: TierRevokeReason | null,
  ): Promise<TierGrantEntity | null> {
    const now = this.clock.now();
    const grant: TierGrantEntity = Object.assign(new TierGrantEntity(), {
      id: randomUUID(),
      communityId: tier.communityId,
      tierId: tier.id,
      userId: p.userId,
      source: 'SUBSCRIPTION',
      subscriptionId: p.subscriptionId,
      status,
      accessUntil: dateOrNull(p.accessUntil),
      grantedAt: status === 'ACTIVE' ? now : null,
      revokedAt: status === 'REVOKED' ? now : null,
      revokeReason,
      createdAt: now,
      updatedAt: now,
    });
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "community".tier_grants
         (id, community_id, tier_id, user_id, source, subscription_id, status, access_until, granted_at,
          revoked_at, revoke_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'SUBSCRIPTION', $5, $6, $7, $8, $9, $10, $11, $11)
       ON CONFLICT ON CONSTRAINT uq_tier_grants_subscription DO NOTHING RETURNING id`,
      [
        grant.id,
        grant.communityId,
        grant.tierId,
        grant.userId,
        grant.subscriptionId,
        grant.status,
        grant.accessUntil,
        grant.grantedAt,
        grant.revokedAt,
        grant.revokeReason,
        now,
      ],
    );
    return inserted.length > 0 ? grant : null;
  }

  /** activated / renewed: grant once (or hold for a banned buyer); later deliveries extend `accessUntil`. */
  async activate(manager: EntityManager, p: SubscriptionEventPayload): Promise<SubscriptionOutcome> {
    const tier = await this.tier(manager, p.tierId);
    if (!tier) {
      this.logger.warn({ tierId: p.tierId, subscriptionId: p.subscriptionId }, 'paywall: unknown tier');
      return 'ignored';
    }
    // The member's row first (the lock every membership change takes), then the grant.
    const { row } = await this.memberships.lockRow(manager, tier.communityId, p.userId);
    const existing = await this.lockGrant(manager, p.subscriptionId);
    if (existing) return this.extend(manager, existing, p);
    const banned = row.status === 'BANNED';
    const grant = await this.insert(manager, tier, p, banned ? 'HELD' : 'ACTIVE', null);
    if (!grant) {
      const raced = await this.lockGrant(manager, p.subscriptionId);
      return raced ? this.extend(manager, raced, p) : 'ignored';
    }
    if (banned) {
      this.logger.warn(
        { communityId: tier.communityId, userId: p.userId, subscriptionId: p.subscriptionId },
        'paywall: a banned user subscribed; the grant is held',
      );
      return 'held';
    }
    if (row.status !== 'ACTIVE') await this.memberships.activate(manager, row);
    await recordCommunityEvent(manager, COMMUNITY_TIER_GRANTED, {
      communityId: grant.communityId,
      tierId: grant.tierId,
      userId: grant.userId,
      grantId: grant.id,
      subscriptionId: grant.subscriptionId,
      grantedAt: grant.grantedAt!.toISOString(),
    });
    return 'granted';
  }

  private async extend(
    manager: EntityManager,
    grant: TierGrantEntity,
    p: SubscriptionEventPayload,
  ): Promise<SubscriptionOutcome> {
    if (grant.status === 'REVOKED') return 'ignored';
    const until = dateOrNull(p.accessUntil);
    if (until && (!grant.accessUntil || until > grant.accessUntil)) {
      await manager
        .getRepository(TierGrantEntity)
        .update({ id: grant.id }, { accessUntil: until, updatedAt: this.clock.now() });
      return 'extended';
    }
    return 'kept';
  }

  /** canceled at the period's end: access stays until `expired`; the period end is noted. */
  async keep(manager: EntityManager, p: SubscriptionEventPayload): Promise<SubscriptionOutcome> {
    const grant = await this.lockGrant(manager, p.subscriptionId);
    if (!grant || grant.status === 'REVOKED') return 'ignored';
    const until = dateOrNull(p.accessUntil);
    if (until)
      await manager
        .getRepository(TierGrantEntity)
        .update({ id: grant.id }, { accessUntil: until, updatedAt: this.clock.now() });
    return 'kept';
  }

  /** Immediate cancel or expiry: revoke (final); with no grant yet, a REVOKED tombstone. */
  async revoke(
    manager: EntityManager,
    p: SubscriptionEventPayload,
    reason: TierRevokeReason,
  ): Promise<SubscriptionOutcome> {
    let grant = await this.lockGrant(manager, p.subscriptionId);
    if (!grant) {
      const tier = await this.tier(manager, p.tierId);
      if (!tier) return 'ignored';
      if (await this.insert(manager, tier, p, 'REVOKED', reason)) return 'tombstoned';
      grant = await this.lockGrant(manager, p.subscriptionId); // a concurrent activation won
      if (!grant) return 'ignored';
    }
    if (grant.status === 'REVOKED') return 'ignored';
    const wasActive = grant.status === 'ACTIVE';
    const now = this.clock.now();
    await manager
      .getRepository(TierGrantEntity)
      .update({ id: grant.id }, { status: 'REVOKED', revokedAt: now, revokeReason: reason, updatedAt: now });
    if (wasActive)
      await recordCommunityEvent(manager, COMMUNITY_TIER_REVOKED, {
        communityId: grant.communityId,
        tierId: grant.tierId,
        userId: grant.userId,
        grantId: grant.id,
        subscriptionId: grant.subscriptionId,
        reason,
        revokedAt: now.toISOString(),
      });
    return 'revoked';
  }
}
