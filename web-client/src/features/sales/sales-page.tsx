import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Alert, Button, Card, Page, Spinner } from '../../components/index.js';
import { MySalesDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import '../instructor/staff.css';

export const money = ({ amount, currency }: { amount: number; currency: string }) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 100);

/**
 * The seller's view of commerce: paid order lines of their products (`mySales`), what they are owed
 * (`myBalances`, the SELLER_PAYABLE ledger account, in minor units) and their payouts. Prices are set per course
 * in the course builder.
 */
export function SalesPage() {
  const { data, error, fetchMore, loading } = useQuery(MySalesDocument, {
    notifyOnNetworkStatusChange: true,
    fetchPolicy: 'cache-and-network',
  });
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  if (!data) return <Spinner label="Loading sales…" />;
  const sales = data.mySales;
  return (
    <Page title="Sales" heading="Sales and balance">
      <p>
        Set a course’s price in its builder (<Link to="/teaching">your courses</Link>).
      </p>
      <Card>
        <h2>Balance</h2>
        {data.myBalances.length === 0 ? <p>No balance yet.</p> : null}
        <ul className="eg-list" aria-label="Balances">
          {data.myBalances.map((b) => (
            <li key={b.accountId}>
              Owed to you: <strong>{money({ amount: Math.abs(b.balance), currency: b.currency })}</strong>
            </li>
          ))}
        </ul>
      </Card>
      <section className="eg-section" aria-labelledby="sales-heading">
        <h2 id="sales-heading">Sales</h2>
        {sales.edges.length === 0 ? (
          <p>No sales yet.</p>
        ) : (
          <table className="eg-table">
            <caption>Paid order lines, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Product</th>
                <th scope="col">Qty</th>
                <th scope="col">Total</th>
                <th scope="col">Commission</th>
                <th scope="col">Your share</th>
              </tr>
            </thead>
            <tbody>
              {sales.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>{new Date(node.createdAt).toLocaleDateString()}</td>
                  <td>{node.title}</td>
                  <td>{node.quantity}</td>
                  <td>{money(node.total)}</td>
                  <td>{money(node.commission)}</td>
                  <td>{money(node.sellerShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {sales.pageInfo.hasNextPage ? (
          <Button
            variant="secondary"
            busy={loading}
            onClick={() =>
              void fetchMore({
                variables: { after: sales.pageInfo.endCursor },
                updateQuery: (previous, { fetchMoreResult }) => ({
                  ...fetchMoreResult,
                  mySales: {
                    ...fetchMoreResult.mySales,
                    edges: [...previous.mySales.edges, ...fetchMoreResult.mySales.edges],
                  },
                }),
              })
            }
          >
            Load more sales
          </Button>
        ) : null}
      </section>
      <section className="eg-section" aria-labelledby="payouts-heading">
        <h2 id="payouts-heading">Payouts</h2>
        {data.myPayouts.length === 0 ? <p>No payouts yet.</p> : null}
        <ul className="eg-list" aria-labelledby="payouts-heading">
          {data.myPayouts.map((p) => (
            <li key={p.id}>
              {money(p.amount)} · {p.status.toLowerCase()} · {new Date(p.createdAt).toLocaleDateString()}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
