import { DomainError } from '@edugraph/kit';

/** Paywall's own codes (besides the kit's and the foundation's). */
export type PaywallErrorCode = 'TIER_NAME_TAKEN' | 'TIER_ARCHIVED' | 'TIER_LIMIT_REACHED';

export class PaywallError extends DomainError<PaywallErrorCode> {}

export class TierNameTakenError extends PaywallError {
  constructor(name: string) {
    super('TIER_NAME_TAKEN', `This community already has a tier named "${name}".`, { field: 'name' });
  }
}

export class TierArchivedError extends PaywallError {
  constructor() {
    super('TIER_ARCHIVED', 'This tier is archived; it can no longer be changed.');
  }
}

export class TierLimitReachedError extends PaywallError {
  constructor(max: number) {
    super('TIER_LIMIT_REACHED', `A community has at most ${max} live tiers.`, { max });
  }
}
