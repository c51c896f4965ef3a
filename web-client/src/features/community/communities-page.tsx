import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import { CommunitiesDocument } from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { roleLabel } from './format.js';
import { JoinButton } from './join-button.js';
import { YourCommunities } from './your-communities.js';

/**
 * The communities directory: public communities and the viewer's own, with a search and "Mine"; signed-in
 * users also get "Create a community" and the communities they run.
 */
export function CommunitiesPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const mine = params.get('mine') === '1';
  const [draft, setDraft] = useState(search);
  const { signedIn } = useSessionState();
  const { data, loading, error, fetchMore } = useQuery(CommunitiesDocument, {
    variables: { search: search || null, mine: mine || null },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (draft.trim()) next.q = draft.trim();
    if (mine) next.mine = '1';
    setParams(next);
  };
  const edges = data?.communities.edges ?? [];
  return (
    <Page
      title="Communities"
      actions={
        signedIn ? (
          <Link to="/communities/new" className="eg-button eg-button--primary">
            Create a community
          </Link>
        ) : null
      }
    >
      {signedIn ? <YourCommunities /> : null}
      <form role="search" className="eg-search" onSubmit={submit}>
        <TextField
          label="Search communities"
          type="search"
          name="q"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {signedIn ? (
        <p>
          <label className="eg-community__check">
            <input
              type="checkbox"
              checked={mine}
              onChange={(e) => {
                const next: Record<string, string> = {};
                if (search) next.q = search;
                if (e.target.checked) next.mine = '1';
                setParams(next);
              }}
            />{' '}
            Only my communities
          </label>
        </p>
      ) : null}
      {error ? <Alert tone="error">The communities could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && edges.length === 0 ? (
        <p>{search ? `No community matches “${search}”.` : 'No communities yet.'}</p>
      ) : null}
      <ul className="eg-community-list" aria-label="Communities">
        {edges.map(({ node }) => (
          <Card as="li" key={node.id} className="eg-community-card">
            <h2>
              <Link to={`/communities/${node.slug}`}>{node.name}</Link>
            </h2>
            <p>{node.description}</p>
            <p className="eg-community__meta">
              {node.memberCount === 1 ? '1 member' : `${node.memberCount} members`} ·{' '}
              {node.visibility === 'PUBLIC' ? 'Public' : 'Private'}
              {node.viewerMembership?.status === 'ACTIVE'
                ? ` · You are ${roleLabel(node.viewerMembership.role)}`
                : ''}
            </p>
            {signedIn ? <JoinButton community={node} /> : null}
          </Card>
        ))}
      </ul>
      {data?.communities.pageInfo.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() =>
            void fetchMore({
              variables: { after: data.communities.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                communities: {
                  ...fetchMoreResult.communities,
                  edges: [...prev.communities.edges, ...fetchMoreResult.communities.edges],
                },
              }),
            })
          }
        >
          Load more communities
        </Button>
      ) : null}
    </Page>
  );
}

function useSessionState() {
  const session = useSession();
  return { signedIn: session.state.status === 'signedIn' };
}
