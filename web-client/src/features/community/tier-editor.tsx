import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Alert, Button, TextField } from '../../components/index.js';
import {
  CreatePaywallTierDocument,
  SetTierPriceDocument,
  UpdatePaywallTierDocument,
  type BillingInterval,
  type TierViewFragment,
} from '../../generated/graphql.js';
import { errorField, errorMessage } from '../../lib/graphql-errors.js';
import { BILLING_INTERVALS, fromMinorUnits, toMinorUnits } from './tiers-format.js';

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * Creates or edits a tier (TIER_MANAGE): name, description, rank, what it unlocks — and, for the community's
 * owner (commerce's seller rule: only the owner sells a tier), its price in commerce: `setProductPrice` with
 * kind COMMUNITY_TIER, an amount typed in the currency's major unit and sent in minor units, the billing
 * interval and free trial days. The tier is saved first; a refused price says so and keeps the form open.
 */
export function TierEditor({
  communityId,
  tier,
  isOwner,
  onDone,
}: {
  communityId: string;
  tier: TierViewFragment | null;
  isOwner: boolean;
  onDone: (saved: TierViewFragment) => void;
}) {
  const formId = useId();
  const descriptionId = useId();
  const benefitsId = useId();
  const intervalId = useId();
  const product = tier?.product ?? null;
  const [saved, setSaved] = useState<TierViewFragment | null>(tier);
  const [name, setName] = useState(tier?.name ?? '');
  const [description, setDescription] = useState(tier?.description ?? '');
  const [rank, setRank] = useState(String(tier?.rank ?? 1));
  const [benefits, setBenefits] = useState((tier?.benefits ?? []).join('\n'));
  const [currency, setCurrency] = useState(product?.price.currency ?? 'USD');
  const [amount, setAmount] = useState(
    product ? fromMinorUnits(product.price.amount, product.price.currency) : '',
  );
  const [interval, setInterval] = useState<BillingInterval>(product?.billingInterval ?? 'MONTHLY');
  const [trialDays, setTrialDays] = useState(String(product?.trialDays ?? 0));
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [create, creating] = useMutation(CreatePaywallTierDocument);
  const [update, updating] = useMutation(UpdatePaywallTierDocument);
  const [price, pricing] = useMutation(SetTierPriceDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const rankNumber = Number(rank);
    if (!Number.isInteger(rankNumber) || rankNumber < 1 || rankNumber > 100)
      return setProblem({ field: 'rank', message: 'The rank is a whole number from 1 to 100.' });
    const code = currency.trim().toUpperCase();
    let minor: number | null = null;
    if (isOwner && amount.trim()) {
      try {
        minor = toMinorUnits(amount, code);
      } catch {
        return setProblem({
          field: 'currency',
          message: 'Use an ISO 4217 currency code such as USD or EUR.',
        });
      }
      if (minor === null)
        return setProblem({ field: 'amount', message: 'Type the price as a number, e.g. 9.00.' });
    }
    const trial = interval === 'LIFETIME' ? 0 : Number(trialDays || 0);
    if (!Number.isInteger(trial) || trial < 0 || trial > 90)
      return setProblem({ field: 'trialDays', message: 'A free trial is 0 to 90 days.' });

    let current = saved;
    try {
      const fields = {
        name: name.trim(),
        description: description.trim(),
        rank: rankNumber,
        benefits: lines(benefits),
      };
      if (current) {
        const { data } = await update({ variables: { input: { tierId: current.id, ...fields } } });
        if (data) current = data.updatePaywallTier.tier;
      } else {
        const { data } = await create({ variables: { input: { communityId, ...fields } } });
        if (data) current = data.createPaywallTier.tier;
      }
    } catch (caught) {
      return setProblem({ field: errorField(caught), message: errorMessage(caught) });
    }
    if (!current) return;
    setSaved(current);
    if (minor !== null) {
      try {
        await price({
          variables: {
            input: {
              kind: 'COMMUNITY_TIER',
              refId: current.id,
              title: current.name,
              amount: minor,
              currency: code,
              billingInterval: interval,
              trialDays: trial,
            },
          },
        });
      } catch (caught) {
        return setProblem({
          field: errorField(caught) ?? 'price',
          message: `The tier was saved, but its price was not: ${errorMessage(caught)}`,
        });
      }
    }
    onDone(current);
  };

  const fieldError = (key: string) => (problem?.field === key ? problem.message : null);
  const otherError =
    problem &&
    !['name', 'rank', 'amount', 'currency', 'trialDays', 'description', 'benefits'].includes(
      problem.field ?? '',
    )
      ? problem.message
      : null;
  return (
    <form
      id={formId}
      className="eg-card eg-tier-editor"
      aria-label={saved ? `Edit ${saved.name}` : 'New tier'}
      onSubmit={(event) => void submit(event)}
    >
      <TextField
        label="Tier name"
        required
        maxLength={80}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError('name')}
      />
      <div className="eg-field">
        <label htmlFor={descriptionId} className="eg-field__label">
          Description
        </label>
        <textarea
          id={descriptionId}
          className="eg-field__input"
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <TextField
        label="Rank"
        type="number"
        min={1}
        max={100}
        required
        value={rank}
        onChange={(e) => setRank(e.target.value)}
        hint="1–100: a tier opens what is gated on its own rank and every lower one."
        error={fieldError('rank')}
      />
      <div className="eg-field">
        <label htmlFor={benefitsId} className="eg-field__label">
          What it unlocks (one a line)
        </label>
        <textarea
          id={benefitsId}
          className="eg-field__input"
          rows={3}
          value={benefits}
          onChange={(e) => setBenefits(e.target.value)}
        />
      </div>
      {isOwner ? (
        <fieldset className="eg-tier-editor__price">
          <legend>Price</legend>
          <TextField
            label="Amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            hint="Leave empty to keep the tier without a price (not for sale)."
            error={fieldError('amount') ?? fieldError('price')}
          />
          <TextField
            label="Currency"
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            hint="ISO 4217, e.g. USD or EUR."
            error={fieldError('currency')}
          />
          <div className="eg-field">
            <label htmlFor={intervalId} className="eg-field__label">
              Billing interval
            </label>
            <select
              id={intervalId}
              className="eg-field__input"
              value={interval}
              onChange={(e) => setInterval(e.target.value as BillingInterval)}
            >
              {BILLING_INTERVALS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {interval !== 'LIFETIME' ? (
            <TextField
              label="Free trial days"
              type="number"
              min={0}
              max={90}
              value={trialDays}
              onChange={(e) => setTrialDays(e.target.value)}
              error={fieldError('trialDays')}
            />
          ) : null}
        </fieldset>
      ) : (
        <p className="eg-muted">Only the community’s owner sets a tier’s price (the owner is paid for it).</p>
      )}
      {otherError ? <Alert tone="error">{otherError}</Alert> : null}
      <Button type="submit" busy={creating.loading || updating.loading || pricing.loading}>
        {saved ? 'Save tier' : 'Create tier'}
      </Button>
    </form>
  );
}
