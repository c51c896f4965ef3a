import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import {
  AdminAuditEventsDocument,
  AdminFeatureFlagsDocument,
  SetFeatureFlagKillSwitchDocument,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import '../instructor/staff.css';

/** Admins: feature flags (kill switch), the audit trail, the review queue and the GraphQL explorer. */
export function AdminPage() {
  return (
    <Page title="Admin" heading="Administration">
      <Card>
        <h2>Tools</h2>
        <ul className="eg-list">
          <li>
            <Link to="/admin/review">Course review queue</Link>
          </li>
          <li>
            {/* served by the gateway, not the app: a full page load */}
            <a href="/graphql">GraphQL explorer (GraphiQL)</a>
          </li>
        </ul>
      </Card>
      <FeatureFlags />
      <AuditEvents />
    </Page>
  );
}

function FeatureFlags() {
  const { data, error } = useQuery(AdminFeatureFlagsDocument, { fetchPolicy: 'cache-and-network' });
  const [setKill, { error: killError }] = useMutation(SetFeatureFlagKillSwitchDocument);
  return (
    <section className="eg-section" aria-labelledby="flags-heading">
      <h2 id="flags-heading">Feature flags</h2>
      {error && !data ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {killError ? <Alert tone="error">{errorMessage(killError)}</Alert> : null}
      {!data && !error ? <Spinner label="Loading flags…" /> : null}
      {data ? (
        <table className="eg-table">
          <caption>Flags and their kill switch (on: the flag evaluates as off for everyone)</caption>
          <thead>
            <tr>
              <th scope="col">Flag</th>
              <th scope="col">Strategy</th>
              <th scope="col">Kill switch</th>
            </tr>
          </thead>
          <tbody>
            {data.featureFlags.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <code>{node.key}</code>
                  <p className="eg-muted">{node.description}</p>
                </td>
                <td>
                  {node.strategy.toLowerCase()}
                  {node.strategy === 'PERCENTAGE' && node.percentage !== null ? ` ${node.percentage} %` : ''}
                </td>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      role="switch"
                      checked={node.killed}
                      onChange={(e) =>
                        void setKill({
                          variables: { key: node.key, killed: e.currentTarget.checked },
                          // the switch follows the click at once; a refusal puts it back
                          optimisticResponse: {
                            setFeatureFlagKillSwitch: {
                              __typename: 'FeatureFlagPayload',
                              featureFlag: {
                                __typename: 'FeatureFlag',
                                id: node.id,
                                key: node.key,
                                killed: e.currentTarget.checked,
                                updatedAt: node.updatedAt,
                              },
                            },
                          },
                        }).catch(() => undefined)
                      }
                    />{' '}
                    Kill {node.key}
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function AuditEvents() {
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState<{ action: string } | null>(null);
  const { data, error, fetchMore, loading } = useQuery(AdminAuditEventsDocument, {
    variables: { filter },
    notifyOnNetworkStatusChange: true,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter(action.trim() ? { action: action.trim() } : null);
  };
  const events = data?.auditEvents;
  return (
    <section className="eg-section" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit events</h2>
      <form className="eg-form" role="search" aria-label="Filter audit events" onSubmit={submit}>
        <TextField
          label="Action"
          hint="Exact action name, e.g. feature_flag.kill_switch_set; empty for all"
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
        />
        <div className="eg-form__actions">
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </div>
      </form>
      {error && !events ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {!events && !error ? <Spinner label="Loading audit events…" /> : null}
      {events ? (
        <table className="eg-table">
          <caption>Newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {events.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>{new Date(node.occurredAt).toLocaleString()}</td>
                <td>{node.actor?.displayName ?? 'system'}</td>
                <td>
                  <code>{node.action}</code>
                </td>
                <td>
                  {node.targetType}
                  {node.targetId ? ` ${node.targetId}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {events?.pageInfo.hasNextPage ? (
        <Button
          variant="secondary"
          busy={loading}
          onClick={() =>
            void fetchMore({
              variables: { after: events.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                ...fetchMoreResult,
                auditEvents: {
                  ...fetchMoreResult.auditEvents,
                  edges: [...previous.auditEvents.edges, ...fetchMoreResult.auditEvents.edges],
                },
              }),
            })
          }
        >
          Load more events
        </Button>
      ) : null}
    </section>
  );
}
