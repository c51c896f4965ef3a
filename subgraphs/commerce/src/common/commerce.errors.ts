import { DomainError } from '@edugraph/kit';

/** Commerce's own codes (besides the kit's UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, CONFLICT). */
export type CommerceErrorCode =
  | 'CART_EMPTY'
  | 'CURRENCY_MISMATCH'
  | 'PRODUCT_UNAVAILABLE'
  | 'COUPON_INVALID'
  | 'COUPON_EXHAUSTED'
  | 'COUPON_LIMIT_REACHED'
  | 'ORDER_NOT_PAYABLE'
  | 'ORDER_NOT_REFUNDABLE'
  | 'REFUND_EXCEEDS_REMAINDER'
  | 'PROVIDER_UNAVAILABLE'
  | 'PAYMENT_PROVIDER_ERROR'
  | 'SERVICE_UNAVAILABLE';

export class CommerceError extends DomainError<CommerceErrorCode> {}

export class CartEmptyError extends CommerceError {
  constructor() {
    super('CART_EMPTY', 'Your cart is empty.');
  }
}

export class CurrencyMismatchError extends CommerceError {
  constructor(expected: string, actual: string) {
    super(
      'CURRENCY_MISMATCH',
      `Everything in one order is priced in one currency (${expected}, not ${actual}).`,
      {
        expected,
        actual,
      },
    );
  }
}

export class ProductUnavailableError extends CommerceError {
  constructor(productId: string) {
    super('PRODUCT_UNAVAILABLE', 'This product is not for sale.', { productId });
  }
}

export class CouponInvalidError extends CommerceError {
  constructor(reason: string) {
    super('COUPON_INVALID', `This coupon cannot be used: ${reason}.`);
  }
}

export class CouponExhaustedError extends CommerceError {
  constructor() {
    super('COUPON_EXHAUSTED', 'This coupon has no redemptions left.');
  }
}

export class CouponLimitReachedError extends CommerceError {
  constructor(limit: number) {
    super('COUPON_LIMIT_REACHED', `You have already used this coupon ${limit} time(s).`, { limit });
  }
}

export class OrderNotPayableError extends CommerceError {
  constructor(status: string) {
    super('ORDER_NOT_PAYABLE', `An order in status ${status} cannot be paid or canceled now.`, { status });
  }
}

export class OrderNotRefundableError extends CommerceError {
  constructor(status: string) {
    super('ORDER_NOT_REFUNDABLE', `Only paid orders can be refunded (this one is ${status}).`, { status });
  }
}

export class RefundExceedsRemainderError extends CommerceError {
  constructor(remainder: number) {
    super('REFUND_EXCEEDS_REMAINDER', `At most ${remainder} (minor units) remains to refund.`, { remainder });
  }
}

export class ProviderUnavailableError extends CommerceError {
  constructor(provider: string) {
    super('PROVIDER_UNAVAILABLE', `The payment provider ${provider} is not enabled.`, { provider });
  }
}

export class PaymentProviderError extends CommerceError {
  constructor(provider: string) {
    super('PAYMENT_PROVIDER_ERROR', `${provider} did not answer; nothing was charged twice, try again.`, {
      provider,
    });
  }
}

/** The owning subgraph's seller rule failed, timed out or answered nonsense: nothing was changed. */
export class SellerCheckUnavailableError extends CommerceError {
  constructor(kind: string) {
    super(
      'SERVICE_UNAVAILABLE',
      `Could not check who may sell this ${kind.toLowerCase().replace('_', ' ')}; nothing was changed, try again.`,
      { kind },
    );
  }
}
