import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Page, Spinner } from '../../components/index.js';
import { OrderDetailDocument, PurchaseAccessDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { OrderSummary } from './checkout-page.js';

/** How often a pending order or its access is asked for again (order.paid crosses the outbox). */
export const ORDER_POLL_MS = 1_000;

const SETTLED = new Set(['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * An order after payment: waits (polling) until it is paid and until learning has delivered what it bought —
 * an enrollment per course, the ebook in the library — then offers "Start learning" / "Read now".
 */
export function OrderPage() {
  const { orderId = '' } = useParams();
  const orderQuery = useQuery(OrderDetailDocument, { variables: { id: orderId } });
  const order = orderQuery.data?.order;
  const paid = order ? SETTLED.has(order.status) : false;
  const accessQuery = useQuery(PurchaseAccessDocument, { skip: !paid, fetchPolicy: 'network-only' });

  const courseLines = order?.lines.filter((line) => line.kind === 'COURSE') ?? [];
  const ebookLines = order?.lines.filter((line) => line.kind === 'EBOOK') ?? [];
  const enrollments = accessQuery.data?.myEnrollments.edges.map((edge) => edge.node) ?? [];
  const library = new Set(accessQuery.data?.viewer?.library?.edges.map((edge) => edge.node.id) ?? []);
  const enrollmentOf = (courseId: string) =>
    enrollments.find((e) => e.courseId === courseId && (e.status === 'ACTIVE' || e.status === 'COMPLETED'));
  const delivered =
    Boolean(accessQuery.data) &&
    courseLines.every((line) => enrollmentOf(line.refId)) &&
    ebookLines.every((line) => library.has(line.refId));

  const waitingForPayment = order && !paid && order.status === 'PENDING_PAYMENT';
  const waitingForAccess = paid && !delivered;
  // Poll while something is on its way; stop once it arrived.
  const { startPolling: pollOrder, stopPolling: stopOrder } = orderQuery;
  const { startPolling: pollAccess, stopPolling: stopAccess } = accessQuery;
  useInterval(waitingForPayment ? pollOrder : null, stopOrder);
  useInterval(waitingForAccess ? pollAccess : null, stopAccess);

  if (orderQuery.loading && !order) return <Spinner label="Loading your order…" />;
  if (!order) return <Alert tone="error">{errorMessage(orderQuery.error)}</Alert>;

  return (
    <Page title="Order" heading={paid ? 'Thank you for your order' : 'Your order'}>
      {paid ? (
        waitingForAccess ? (
          <Spinner label="Payment received. Setting up your access…" />
        ) : (
          <Alert tone="success">Payment received. Everything you bought is ready.</Alert>
        )
      ) : order.status === 'PENDING_PAYMENT' ? (
        <Spinner label="Waiting for the payment to complete…" />
      ) : (
        <Alert tone="error">
          This order is not paid ({order.status.toLowerCase().replace(/_/g, ' ')}).{' '}
          <Link to="/checkout">Back to checkout</Link>
        </Alert>
      )}
      {accessQuery.error ? <Alert tone="error">{errorMessage(accessQuery.error)}</Alert> : null}
      {delivered ? (
        <section aria-labelledby="order-next" className="eg-section">
          <h2 id="order-next">What’s next</h2>
          <ul className="eg-list">
            {courseLines.map((line) => {
              const enrollment = enrollmentOf(line.refId);
              return enrollment?.course ? (
                <li key={line.id}>
                  <Link
                    className="eg-button eg-button--primary"
                    to={`/learn/${enrollment.course.slug}`}
                    aria-label={`Start learning: ${line.title}`}
                  >
                    Start learning
                  </Link>
                </li>
              ) : null;
            })}
            {ebookLines.map((line) => (
              <li key={line.id}>
                <Link
                  className="eg-button eg-button--primary"
                  to={`/library/${line.refId}`}
                  aria-label={`Read now: ${line.title}`}
                >
                  Read now
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="order-summary" className="eg-section">
        <h2 id="order-summary">Summary</h2>
        <OrderSummary order={order} />
      </section>
    </Page>
  );
}

/** Starts Apollo polling while `start` is given and stops it otherwise (and on unmount). */
function useInterval(start: ((ms: number) => void) | null, stop: () => void): void {
  useEffect(() => {
    if (!start) return undefined;
    start(ORDER_POLL_MS);
    return () => stop();
  }, [start, stop]);
}
