import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Spinner, TextField } from '../../components/index.js';
import {
  CancelTierSubscriptionDocument,
  CommunityTiersDocument,
  ConfirmTierPaymentDocument,
  MyTierSubscriptionsDocument,
  SubscribeToTierDocument,
  type TierViewFragment,
} from '../../generated/graphql.js';
import { errorField, errorMessage } from '../../lib/graphql-errors.js';
import { BILLING_COUNTRIES, failureMessage, normaliseCard, TEST_CARDS } from '../checkout/payment.js';
import { formatTierPrice } from './tiers-format.js';

/** How often the tiers are asked for again while community grants the tier (the event crosses the outbox). */
export const TIER_GRANT_POLL_MS = 1_000;

type Phase =
  | { step: 'form'; failedSubscriptionId: string | null }
  | { step: 'confirm'; subscriptionId: string; orderId: string }
  | { step: 'granting' }
  | { step: 'granted' };

/**
 * Subscribing to a tier with the SANDBOX card (as the checkout does): a declined card is explained and another
 * card may be tried (the unpaid subscription is canceled and a new one started, so renewals charge the card
 * that worked); 3-D Secure shows a confirm step (`confirmOrderPayment` on the first period's order). Once paid
 * (or trialing) it waits — polling the community's `viewerTiers` — until community granted the tier, then the
 * feed is fetched again so the tier's posts open.
 */
export function TierSubscribe({
  tier,
  communityId,
  slug,
  onClose,
}: {
  tier: TierViewFragment;
  communityId: string;
  slug: string;
  onClose: () => void;
}) {
  const client = useApolloClient();
  const headingId = useId();
  const countryId = useId();
  const [phase, setPhase] = useState<Phase>({ step: 'form', failedSubscriptionId: null });
  const [country, setCountry] = useState('US');
  const [card, setCard] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [subscribe, subscribing] = useMutation(SubscribeToTierDocument);
  const [confirm, confirming] = useMutation(ConfirmTierPaymentDocument);
  const [cancel, canceling] = useMutation(CancelTierSubscriptionDocument);
  const tiersQuery = useQuery(CommunityTiersDocument, {
    variables: { communityId, includeArchived: false },
    skip: phase.step !== 'granting',
    fetchPolicy: 'network-only',
  });
  const { startPolling, stopPolling } = tiersQuery;
  const granted = tiersQuery.data?.community?.viewerTiers.some((held) => held.id === tier.id) ?? false;

  useEffect(() => {
    if (phase.step !== 'granting') return undefined;
    startPolling(TIER_GRANT_POLL_MS);
    return () => stopPolling();
  }, [phase.step, startPolling, stopPolling]);

  useEffect(() => {
    if (phase.step !== 'granting' || !granted) return;
    setPhase({ step: 'granted' });
    // The feed was read without the tier: drop it so it is fetched again (locked posts open).
    client.cache.evict({
      id: client.cache.identify({ __typename: 'Community', id: communityId }),
      fieldName: 'feed',
    });
    client.cache.gc();
    void client
      .refetchQueries({ include: [MyTierSubscriptionsDocument, CommunityTiersDocument] })
      .catch(() => undefined);
  }, [client, communityId, granted, phase.step]);

  const product = tier.product;
  if (!product?.active || !tier.price) return null;
  const price = formatTierPrice(tier.price, product.billingInterval);
  const trial = product.trialDays > 0 && product.billingInterval !== 'LIFETIME';

  const settle = (
    payment: { status: string; failureCode?: string | null } | null,
    ids: { subscriptionId: string; orderId: string | null },
  ) => {
    if (!payment || payment.status === 'SUCCEEDED') {
      setPhase({ step: 'granting' });
      void client.refetchQueries({ include: [MyTierSubscriptionsDocument] }).catch(() => undefined);
    } else if (payment.status === 'REQUIRES_ACTION' && ids.orderId) {
      setPhase({ step: 'confirm', subscriptionId: ids.subscriptionId, orderId: ids.orderId });
    } else if (payment.status === 'PROCESSING') {
      setPhase({ step: 'granting' });
    } else {
      setFailure(failureMessage(payment.failureCode));
      setPhase({ step: 'form', failedSubscriptionId: ids.subscriptionId });
    }
  };

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setFailure(null);
    try {
      // Another card after a decline: the unpaid subscription goes, a new one stores the new card.
      if (phase.step === 'form' && phase.failedSubscriptionId)
        await cancel({
          variables: { input: { subscriptionId: phase.failedSubscriptionId, atPeriodEnd: false } },
        });
      const { data } = await subscribe({
        variables: {
          input: {
            productId: product.id,
            paymentMethod: normaliseCard(card),
            billingCountry: country,
            provider: 'SANDBOX',
          },
        },
      });
      if (!data) return;
      const { subscription, order, payment } = data.subscribeToTier;
      settle(payment ?? null, { subscriptionId: subscription.id, orderId: order?.id ?? null });
    } catch (caught) {
      setError(caught);
    }
  };

  const confirmPayment = async () => {
    if (phase.step !== 'confirm') return;
    setError(null);
    try {
      const { data } = await confirm({ variables: { input: { orderId: phase.orderId } } });
      if (data)
        settle(data.confirmOrderPayment.payment, {
          subscriptionId: phase.subscriptionId,
          orderId: phase.orderId,
        });
    } catch (caught) {
      setError(caught);
    }
  };

  const cardError = errorField(error) === 'paymentMethod' ? errorMessage(error) : null;
  return (
    <section aria-labelledby={headingId} className="eg-card eg-tier-subscribe">
      <h2 id={headingId}>Subscribe to {tier.name}</h2>
      <p>
        <strong>{price}</strong>
        {trial ? ` after a ${product.trialDays}-day free trial` : ''}.{' '}
        {product.billingInterval === 'LIFETIME'
          ? 'One payment, no renewals.'
          : 'Renews automatically until you cancel.'}
      </p>
      {phase.step === 'granted' ? (
        <>
          <Alert tone="success">You now hold {tier.name}. Its posts are open in the feed.</Alert>
          <p>
            <Link to={`/communities/${slug}/feed`}>Go to the feed</Link>
          </p>
        </>
      ) : phase.step === 'granting' ? (
        <Spinner label={`Payment received. Unlocking ${tier.name}…`} />
      ) : phase.step === 'confirm' ? (
        <div>
          <h3>Confirm with your bank</h3>
          <p>
            Your bank asks you to confirm this payment (3-D Secure). Nothing is charged until you confirm.
          </p>
          <Button busy={confirming.loading} onClick={() => void confirmPayment()}>
            Confirm payment
          </Button>
        </div>
      ) : (
        <form onSubmit={(event) => void pay(event)} aria-label={`Pay for ${tier.name}`}>
          {failure ? <Alert tone="error">{failure}</Alert> : null}
          <div className="eg-field">
            <label htmlFor={countryId} className="eg-field__label">
              Billing country
            </label>
            <select
              id={countryId}
              className="eg-field__input"
              value={country}
              onChange={(event) => setCountry(event.target.value)}
            >
              {BILLING_COUNTRIES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <TextField
            label="Card number"
            inputMode="numeric"
            autoComplete="cc-number"
            required
            value={card}
            onChange={(event) => setCard(event.target.value)}
            error={cardError}
            hint={`Charged now${trial ? ' after the trial' : ''} and at each renewal. Test cards: ${TEST_CARDS.map((c) => `${c.number} ${c.outcome}`).join('; ')}.`}
          />
          {error && !cardError ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
          <div className="eg-tier-subscribe__actions">
            <Button type="submit" busy={subscribing.loading || canceling.loading}>
              {trial ? 'Start free trial' : `Pay ${price}`}
            </Button>
            <Button variant="secondary" onClick={onClose}>
              Not now
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
