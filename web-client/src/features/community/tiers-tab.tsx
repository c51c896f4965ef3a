import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Alert, Button, Spinner } from '../../components/index.js';
import {
  ArchivePaywallTierDocument,
  CancelTierSubscriptionDocument,
  CommunityTiersDocument,
  MyTierSubscriptionsDocument,
  type CommunityPermission,
  type TierSubscriptionViewFragment,
  type TierViewFragment,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { can } from './format.js';
import './tiers.css';
import { TierEditor } from './tier-editor.js';
import { TierSubscribe } from './tier-subscribe.js';
import { formatDate, formatTierPrice, LIVE_SUBSCRIPTION, subscriptionStatusText } from './tiers-format.js';

/**
 * The community's membership tiers: each with its price and interval, trial and what it unlocks; the viewer's
 * tier subscriptions here (status, renews/ends on, cancel at period end or now, confirmed first); subscribing
 * (`TierSubscribe`); and for TIER_MANAGE holders creating, editing and archiving tiers (`TierEditor`; archived
 * tiers are listed for them too).
 */
export function TiersTab({
  communityId,
  slug,
  permissions,
  isOwner,
  signedIn,
}: {
  communityId: string;
  slug: string;
  permissions: readonly CommunityPermission[];
  isOwner: boolean;
  signedIn: boolean;
}) {
  const manage = can(permissions, 'TIER_MANAGE');
  const tiersQuery = useQuery(CommunityTiersDocument, {
    variables: { communityId, includeArchived: manage },
    fetchPolicy: 'cache-and-network',
  });
  const subsQuery = useQuery(MyTierSubscriptionsDocument, {
    skip: !signedIn,
    fetchPolicy: 'cache-and-network',
  });
  const [choosing, setChoosing] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const listId = useId();
  const yoursId = useId();
  const manageId = useId();

  if (tiersQuery.loading && !tiersQuery.data) return <Spinner label="Loading the tiers…" />;
  if (tiersQuery.error && !tiersQuery.data)
    return <Alert tone="error">The tiers could not be loaded: {errorMessage(tiersQuery.error)}</Alert>;

  const tiers = tiersQuery.data?.community?.tiers ?? [];
  const held = new Set(tiersQuery.data?.community?.viewerTiers.map((t) => t.id) ?? []);
  const mine = (subsQuery.data?.myTierSubscriptions ?? []).filter((s) => s.tier.communityId === communityId);
  // Live subscriptions, and ended ones that once gave access (not unpaid attempts).
  const shown = mine
    .filter((s) => LIVE_SUBSCRIPTION.has(s.status) || s.currentPeriodStart || s.trialEndsAt)
    .slice(0, 5);
  const liveFor = (tierId: string) =>
    mine.find((s) => s.tier.id === tierId && LIVE_SUBSCRIPTION.has(s.status));
  const chosen = tiers.find((t) => t.id === choosing) ?? null;
  const edited = editing === 'new' ? null : (tiers.find((t) => t.id === editing) ?? null);
  const refetchTiers = () => void tiersQuery.refetch().catch(() => undefined);

  return (
    <div className="eg-tiers">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {shown.length > 0 ? (
        <section aria-labelledby={yoursId} className="eg-section">
          <h2 id={yoursId}>Your membership</h2>
          <ul className="eg-tiers__list" aria-label="Your tier subscriptions">
            {shown.map((sub) => (
              <SubscriptionCard key={sub.id} subscription={sub} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby={listId} className="eg-section">
        <h2 id={listId}>Membership tiers</h2>
        {tiers.length === 0 ? <p>This community has no paid tiers.</p> : null}
        <ul className="eg-tiers__list" aria-label="Tiers">
          {tiers.map((tier) => (
            <TierCard
              key={tier.id}
              tier={tier}
              held={held.has(tier.id)}
              subscribed={Boolean(liveFor(tier.id))}
              signedIn={signedIn}
              seller={isOwner}
              manage={manage}
              onSubscribe={() => setChoosing(tier.id)}
              onEdit={() => setEditing(tier.id)}
              onArchived={() => {
                setNotice(`${tier.name} is archived: it is no longer offered.`);
                refetchTiers();
              }}
            />
          ))}
        </ul>
      </section>
      {chosen ? (
        <TierSubscribe
          tier={chosen}
          communityId={communityId}
          slug={slug}
          onClose={() => setChoosing(null)}
        />
      ) : null}
      {manage ? (
        <section aria-labelledby={manageId} className="eg-section">
          <h2 id={manageId}>Manage tiers</h2>
          {editing ? (
            <>
              <TierEditor
                key={editing}
                communityId={communityId}
                tier={edited}
                isOwner={isOwner}
                onDone={(saved) => {
                  setEditing(null);
                  setNotice(`${saved.name} is saved.`);
                  refetchTiers();
                }}
              />
              <Button variant="link" onClick={() => setEditing(null)}>
                Close the editor
              </Button>
            </>
          ) : (
            <Button
              onClick={() => {
                setNotice(null);
                setEditing('new');
              }}
            >
              New tier
            </Button>
          )}
        </section>
      ) : null}
    </div>
  );
}

function TierCard({
  tier,
  held,
  subscribed,
  signedIn,
  seller,
  manage,
  onSubscribe,
  onEdit,
  onArchived,
}: {
  tier: TierViewFragment;
  held: boolean;
  subscribed: boolean;
  signedIn: boolean;
  /** The community's owner sells its tiers (commerce's seller rule): no Subscribe for them. */
  seller: boolean;
  manage: boolean;
  onSubscribe: () => void;
  onEdit: () => void;
  onArchived: () => void;
}) {
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  const [archive, archiving] = useMutation(ArchivePaywallTierDocument);
  const product = tier.product;
  const forSale = Boolean(product?.active && tier.price && !tier.archivedAt);
  return (
    <li className="eg-card eg-tier" aria-labelledby={headingId}>
      <h3 id={headingId}>{tier.name}</h3>
      <p className="eg-tier__price">
        {tier.price && product ? (
          <>
            <strong>{formatTierPrice(tier.price, product.billingInterval)}</strong>
            {product.trialDays > 0 && product.billingInterval !== 'LIFETIME'
              ? ` · ${product.trialDays}-day free trial`
              : ''}
          </>
        ) : (
          'Not for sale yet'
        )}
        {tier.archivedAt ? ` · Archived on ${formatDate(tier.archivedAt)}` : ''}
      </p>
      {tier.description ? <p>{tier.description}</p> : null}
      <p className="eg-muted">
        Opens posts and resources for this tier (rank {tier.rank}) and every lower rank.
      </p>
      {tier.benefits.length ? (
        <>
          <h4>What it unlocks</h4>
          <ul className="eg-tier__benefits">
            {tier.benefits.map((benefit) => (
              <li key={benefit}>{benefit}</li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="eg-tier__actions">
        {held ? (
          <p className="eg-tier__held">You hold this tier.</p>
        ) : subscribed ? (
          <p className="eg-tier__held">You are subscribed (see “Your membership”).</p>
        ) : forSale && !seller ? (
          signedIn ? (
            <Button onClick={onSubscribe} aria-label={`Subscribe to ${tier.name}`}>
              Subscribe
            </Button>
          ) : (
            <p>Sign in to subscribe.</p>
          )
        ) : null}
        {manage && !tier.archivedAt ? (
          <>
            <Button variant="secondary" onClick={onEdit} aria-label={`Edit ${tier.name}`}>
              Edit
            </Button>
            <Button variant="danger" onClick={() => setConfirming(true)} aria-label={`Archive ${tier.name}`}>
              Archive
            </Button>
          </>
        ) : null}
      </div>
      {confirming ? (
        <div role="group" aria-label={`Confirm archiving ${tier.name}`} className="eg-tier__confirm">
          <p>
            Archive {tier.name}? It is no longer offered; members who hold it keep it until their
            subscriptions end.
          </p>
          <Button
            variant="danger"
            busy={archiving.loading}
            onClick={() =>
              void archive({ variables: { input: { tierId: tier.id } } })
                .then(() => {
                  setConfirming(false);
                  onArchived();
                })
                .catch(() => undefined)
            }
          >
            Yes, archive
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </Button>
        </div>
      ) : null}
      {archiving.error ? <Alert tone="error">{errorMessage(archiving.error)}</Alert> : null}
    </li>
  );
}

function SubscriptionCard({ subscription: sub }: { subscription: TierSubscriptionViewFragment }) {
  const client = useApolloClient();
  const headingId = useId();
  const [confirming, setConfirming] = useState<'end' | 'now' | null>(null);
  const [cancel, canceling] = useMutation(CancelTierSubscriptionDocument);
  const live = LIVE_SUBSCRIPTION.has(sub.status);
  const canEndAtPeriodEnd =
    sub.status === 'ACTIVE' && Boolean(sub.currentPeriodEnd) && !sub.cancelAtPeriodEnd;
  const doCancel = (atPeriodEnd: boolean) =>
    void cancel({
      variables: { input: { subscriptionId: sub.id, atPeriodEnd } },
      // Cancel now ends the access: the tiers held are read again, the feed when it is next shown.
      refetchQueries: atPeriodEnd ? [] : [CommunityTiersDocument],
    })
      .then(() => {
        setConfirming(null);
        if (atPeriodEnd) return;
        client.cache.evict({
          id: client.cache.identify({ __typename: 'Community', id: sub.tier.communityId }),
          fieldName: 'feed',
        });
        client.cache.gc();
      })
      .catch(() => undefined);
  return (
    <li className="eg-card eg-tier-subscription" aria-labelledby={headingId}>
      <h3 id={headingId}>{sub.tier.name}</h3>
      <p>
        <span className={`eg-badge eg-badge--${sub.status.toLowerCase()}`}>
          {sub.status.toLowerCase().replace('_', ' ')}
        </span>{' '}
        {subscriptionStatusText(sub)}
      </p>
      <p className="eg-muted">{formatTierPrice(sub.price, sub.billingInterval)}</p>
      {live ? (
        <div className="eg-tier__actions">
          {canEndAtPeriodEnd ? (
            <Button variant="secondary" onClick={() => setConfirming('end')}>
              Cancel at period end
            </Button>
          ) : null}
          <Button variant="danger" onClick={() => setConfirming('now')}>
            {sub.status === 'TRIALING' ? 'Cancel trial now' : 'Cancel now'}
          </Button>
        </div>
      ) : null}
      {confirming ? (
        <div role="group" aria-label="Confirm cancellation" className="eg-tier__confirm">
          <p>
            {confirming === 'end' && sub.currentPeriodEnd
              ? `Stop renewing ${sub.tier.name}? You keep it until ${formatDate(sub.currentPeriodEnd)}.`
              : `End ${sub.tier.name} now? You lose access to its posts at once; nothing is refunded automatically.`}
          </p>
          <Button variant="danger" busy={canceling.loading} onClick={() => doCancel(confirming === 'end')}>
            Yes, cancel
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Keep my subscription
          </Button>
        </div>
      ) : null}
      {canceling.error ? <Alert tone="error">{errorMessage(canceling.error)}</Alert> : null}
    </li>
  );
}
