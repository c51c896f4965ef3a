import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import {
  CheckoutDocument,
  ConfirmOrderPaymentDocument,
  MyCartDocument,
  PayOrderDocument,
  RemoveFromCartDocument,
  UnfinishedOrdersDocument,
  type CheckoutMutation,
  type OrderViewFragment,
} from '../../generated/graphql.js';
import { errorField, errorMessage } from '../../lib/graphql-errors.js';
import { formatMoney } from '../catalogue/format.js';
import { BILLING_COUNTRIES, failureMessage, normaliseCard, TEST_CARDS } from './payment.js';
import './checkout.css';

type Attempt = CheckoutMutation['checkout'];

/**
 * Cart and checkout with the configured provider (SANDBOX outside production: Stripe test cards). The cart
 * becomes an order on the first "Pay"; a declined card keeps the order and "Pay" tries again (`payOrder`);
 * 3-D Secure shows a confirm step (`confirmOrderPayment`). A paid order goes on to its confirmation page, which
 * waits for the access it bought.
 */
export function CheckoutPage() {
  const navigate = useNavigate();
  const cartQuery = useQuery(MyCartDocument, { fetchPolicy: 'cache-and-network' });
  const [remove, removing] = useMutation(RemoveFromCartDocument);
  const [checkout, checkingOut] = useMutation(CheckoutDocument);
  const [payOrder, paying] = useMutation(PayOrderDocument);
  const [confirm, confirming] = useMutation(ConfirmOrderPaymentDocument);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  // Orders left waiting for 3-D Secure or another card (a reload, a closed tab) can be paid from here.
  const unfinishedQuery = useQuery(UnfinishedOrdersDocument, {
    skip: attempt !== null,
    fetchPolicy: 'network-only',
  });
  const [country, setCountry] = useState('US');
  const [card, setCard] = useState('');
  const [error, setError] = useState<unknown>(null);
  const countryId = useId();

  const settle = (result: Attempt) => {
    setAttempt(result);
    if (result.order.status === 'PAID' || result.payment.status === 'SUCCEEDED')
      void navigate(`/orders/${result.order.id}`);
  };

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const paymentMethod = normaliseCard(card);
    try {
      if (attempt) {
        const { data } = await payOrder({
          variables: { input: { orderId: attempt.order.id, paymentMethod } },
        });
        if (data) settle(data.payOrder);
      } else {
        const { data } = await checkout({
          variables: { input: { billingCountry: country, provider: 'SANDBOX', paymentMethod } },
        });
        if (data) settle(data.checkout);
      }
    } catch (caught) {
      setError(caught);
    }
  };

  const confirmPayment = async () => {
    if (!attempt) return;
    setError(null);
    try {
      const { data } = await confirm({ variables: { input: { orderId: attempt.order.id } } });
      if (data) settle(data.confirmOrderPayment);
    } catch (caught) {
      setError(caught);
    }
  };

  if (cartQuery.loading && !cartQuery.data) return <Spinner label="Loading your cart…" />;
  if (cartQuery.error && !cartQuery.data) return <Alert tone="error">{errorMessage(cartQuery.error)}</Alert>;

  const items = cartQuery.data?.myCart.items ?? [];
  const unfinished = (unfinishedQuery.data?.myOrders.edges ?? [])
    .map((edge) => edge.node)
    .filter((order) => order.status === 'REQUIRES_ACTION' || order.status === 'PAYMENT_FAILED');
  const resume = (order: OrderViewFragment) =>
    setAttempt({
      __typename: 'CheckoutPayload',
      order,
      payment: {
        __typename: 'PaymentSession',
        provider: 'SANDBOX',
        status: order.status === 'REQUIRES_ACTION' ? 'REQUIRES_ACTION' : 'FAILED',
        failureCode: order.failureCode,
        redirectUrl: null,
      },
    });
  const unfinishedSection =
    !attempt && unfinished.length > 0 ? (
      <section aria-labelledby="checkout-unfinished" className="eg-section">
        <h2 id="checkout-unfinished">Unfinished payments</h2>
        <ul className="eg-list eg-checkout__items" aria-label="Unfinished payments">
          {unfinished.map((order) => (
            <Card as="li" key={order.id} className="eg-checkout__item">
              <span>
                <strong>{order.lines.map((line) => line.title).join(', ')}</strong>{' '}
                <span className="eg-muted">
                  {order.status === 'REQUIRES_ACTION' ? 'waiting for your bank' : 'payment failed'}
                </span>
              </span>
              <span>{formatMoney(order.total.amount, order.total.currency)}</span>
              <Button
                variant="secondary"
                aria-label={`Continue paying for ${order.lines.map((line) => line.title).join(', ')}`}
                onClick={() => resume(order)}
              >
                Continue
              </Button>
            </Card>
          ))}
        </ul>
      </section>
    ) : null;
  if (!attempt && items.length === 0)
    return (
      <Page title="Checkout" heading="Your cart">
        <p>
          Your cart is empty. <Link to="/">Browse the catalogue</Link>.
        </p>
        {unfinishedSection}
      </Page>
    );

  const needsAction = attempt?.payment.status === 'REQUIRES_ACTION';
  const failed =
    attempt && (attempt.payment.status === 'FAILED' || attempt.order.status === 'PAYMENT_FAILED');
  const cardError = errorField(error) === 'paymentMethod' ? errorMessage(error) : null;

  return (
    <Page title="Checkout">
      {unfinishedSection}
      <section aria-labelledby="checkout-summary" className="eg-section">
        <h2 id="checkout-summary">{attempt ? 'Your order' : 'Your cart'}</h2>
        {attempt ? (
          <OrderSummary order={attempt.order} />
        ) : (
          <>
            <ul className="eg-list eg-checkout__items" aria-label="Cart">
              {items.map((item) => (
                <Card as="li" key={item.product.id} className="eg-checkout__item">
                  <span>
                    <strong>{item.product.title}</strong>{' '}
                    <span className="eg-muted">{item.product.kind === 'EBOOK' ? 'Ebook' : 'Course'}</span>
                  </span>
                  <span>{formatMoney(item.subtotal.amount, item.subtotal.currency)}</span>
                  <Button
                    variant="link"
                    aria-label={`Remove ${item.product.title}`}
                    busy={removing.loading}
                    onClick={() =>
                      void remove({
                        variables: { input: { productId: item.product.id } },
                        refetchQueries: [{ query: MyCartDocument }],
                      }).catch(() => undefined)
                    }
                  >
                    Remove
                  </Button>
                </Card>
              ))}
            </ul>
            <p>
              Total before tax:{' '}
              <strong>
                {formatMoney(
                  items.reduce((sum, item) => sum + item.subtotal.amount, 0),
                  items[0]!.subtotal.currency,
                )}
              </strong>
            </p>
          </>
        )}
      </section>

      {needsAction ? (
        <section aria-labelledby="checkout-confirm" className="eg-section">
          <h2 id="checkout-confirm">Confirm with your bank</h2>
          <p>
            Your bank asks you to confirm this payment (3-D Secure). Nothing is charged until you confirm.
          </p>
          <Button busy={confirming.loading} onClick={() => void confirmPayment()}>
            Confirm payment
          </Button>
        </section>
      ) : (
        <section aria-labelledby="checkout-pay" className="eg-section">
          <h2 id="checkout-pay">Payment</h2>
          {failed ? <Alert tone="error">{failureMessage(attempt.payment.failureCode)}</Alert> : null}
          <form className="eg-form" onSubmit={(event) => void pay(event)} noValidate>
            <div className="eg-field">
              <label htmlFor={countryId} className="eg-field__label">
                Billing country
              </label>
              <select
                id={countryId}
                className="eg-field__input"
                value={country}
                disabled={Boolean(attempt)}
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
              name="card"
              inputMode="numeric"
              autoComplete="cc-number"
              required
              value={card}
              onChange={(event) => setCard(event.target.value)}
              hint={`Test mode: ${TEST_CARDS.map((c) => `${c.number} ${c.outcome}`).join('; ')}.`}
              error={cardError}
            />
            <div className="eg-form__actions">
              <Button type="submit" busy={checkingOut.loading || paying.loading} disabled={!card.trim()}>
                {failed ? 'Try again' : 'Pay now'}
              </Button>
            </div>
          </form>
        </section>
      )}
      {error && !cardError ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
    </Page>
  );
}

export function OrderSummary({ order }: { order: OrderViewFragment }) {
  return (
    <>
      <ul className="eg-list eg-checkout__items" aria-label="Order lines">
        {order.lines.map((line) => (
          <Card as="li" key={line.id} className="eg-checkout__item">
            <strong>{line.title}</strong>
            <span>{formatMoney(line.total.amount, line.total.currency)}</span>
          </Card>
        ))}
      </ul>
      <dl className="eg-facts">
        <dt>Subtotal</dt>
        <dd>{formatMoney(order.subtotal.amount, order.subtotal.currency)}</dd>
        {order.discount.amount > 0 ? (
          <>
            <dt>Discount</dt>
            <dd>−{formatMoney(order.discount.amount, order.discount.currency)}</dd>
          </>
        ) : null}
        <dt>Tax</dt>
        <dd>{formatMoney(order.tax.amount, order.tax.currency)}</dd>
        <dt>Total</dt>
        <dd>
          <strong>{formatMoney(order.total.amount, order.total.currency)}</strong>
        </dd>
      </dl>
    </>
  );
}
