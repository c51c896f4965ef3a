import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Spinner, TextField } from '../../components/index.js';
import {
  AddCommunityReactionDocument,
  CommunityFeedDocument,
  CommunityFeedUpdatedDocument,
  CreatePostDocument,
  DeletePostDocument,
  PinPostDocument,
  RemoveCommunityReactionDocument,
  VotePollDocument,
  type CommunityFeedQuery,
  type CommunityPermission,
  type FeedPostFragment,
} from '../../generated/graphql.js';
import { SafeHtml, textToHtml } from '../player/safe-html.js';
import { CommentsSection } from './comments.js';
import { can, formatDateTime, parsePollOptions, parseTags } from './format.js';
import { LockedPostNotice } from './locked-post-notice.js';
import { TierGateSelect } from './tier-gate-select.js';
import { ModerationMarker } from './moderation-marker.js';
import { ReportButton } from './report-dialog.js';

type FeedEdge = NonNullable<CommunityFeedQuery['community']>['feed']['edges'][number];

export const REACTION_EMOJIS = ['👍', '❤️', '🎉'] as const;

/**
 * A post the viewer can see again (an UPDATED event for a post not in the list: a moderator restored it) goes
 * back in its place among the loaded posts (newest first); one older than every loaded post belongs to a page not
 * loaded yet.
 */
export function reinsertPost(edges: readonly FeedEdge[], edge: FeedEdge, more: boolean): FeedEdge[] {
  const at = edges.findIndex((e) => !e.node.pinned && e.node.publishAt < edge.node.publishAt);
  if (at === -1) return more ? [...edges] : [...edges, edge];
  return [...edges.slice(0, at), edge, ...edges.slice(at)];
}

/** Pinned posts first (the API already puts them first on page one), then the rest in the API's order. */
export function orderFeed(edges: readonly FeedEdge[]): FeedEdge[] {
  const seen = new Set<string>();
  const unique = edges.filter((e) => (seen.has(e.node.id) ? false : (seen.add(e.node.id), true)));
  return [...unique.filter((e) => e.node.pinned), ...unique.filter((e) => !e.node.pinned)];
}

export function FeedTab({
  communityId,
  permissions,
}: {
  communityId: string;
  permissions: readonly CommunityPermission[];
}) {
  const client = useApolloClient();
  const { data, loading, error, fetchMore } = useQuery(CommunityFeedDocument, { variables: { communityId } });
  const [live, setLive] = useState<string | null>(null);
  useSubscription(CommunityFeedUpdatedDocument, {
    variables: { communityId },
    onData: ({ data: event }) => {
      const update = event.data?.communityFeedUpdated;
      if (!update) return;
      client.cache.updateQuery({ query: CommunityFeedDocument, variables: { communityId } }, (prev) => {
        if (!prev?.community) return prev;
        const edges = prev.community.feed.edges;
        if (update.kind === 'DELETED') {
          return {
            community: {
              ...prev.community,
              feed: { ...prev.community.feed, edges: edges.filter((e) => e.node.id !== update.postId) },
            },
          };
        }
        if (update.kind === 'CREATED' && update.post && !edges.some((e) => e.node.id === update.postId)) {
          const edge: FeedEdge = { __typename: 'PostEdge', cursor: '', node: update.post };
          return {
            community: { ...prev.community, feed: { ...prev.community.feed, edges: [edge, ...edges] } },
          };
        }
        if (update.kind === 'UPDATED' && update.post && !edges.some((e) => e.node.id === update.postId)) {
          const edge: FeedEdge = { __typename: 'PostEdge', cursor: '', node: update.post };
          const more = prev.community.feed.pageInfo.hasNextPage;
          return {
            community: {
              ...prev.community,
              feed: { ...prev.community.feed, edges: reinsertPost(edges, edge, more) },
            },
          };
        }
        return prev; // UPDATED / PINNED / UNPINNED: the post itself is normalised in the cache
      });
      if (update.kind === 'CREATED' && update.post) {
        setLive(`New post by ${update.post.author.displayName}: ${update.post.title ?? update.post.excerpt}`);
      }
    },
  });
  const edges = orderFeed(data?.community?.feed.edges ?? []);
  const pageInfo = data?.community?.feed.pageInfo;
  return (
    <div className="eg-feed">
      {can(permissions, 'POST_CREATE') ? (
        <Composer communityId={communityId} permissions={permissions} />
      ) : null}
      <div role="status" className="eg-community-sr">
        {live}
      </div>
      {error ? <Alert tone="error">The feed could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && edges.length === 0 ? <p>No posts yet.</p> : null}
      <ul className="eg-feed__list" aria-label="Posts">
        {edges.map(({ node }) => (
          <PostCard key={node.id} post={node} communityId={communityId} permissions={permissions} />
        ))}
      </ul>
      {pageInfo?.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() =>
            void fetchMore({
              variables: { after: pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) =>
                prev.community && fetchMoreResult.community
                  ? {
                      community: {
                        ...fetchMoreResult.community,
                        feed: {
                          ...fetchMoreResult.community.feed,
                          edges: [...prev.community.feed.edges, ...fetchMoreResult.community.feed.edges],
                        },
                      },
                    }
                  : prev,
            })
          }
        >
          Load more posts
        </Button>
      ) : null}
    </div>
  );
}

function Composer({
  communityId,
  permissions,
}: {
  communityId: string;
  permissions: readonly CommunityPermission[];
}) {
  const client = useApolloClient();
  const bodyId = useId();
  const pollId = useId();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [withPoll, setWithPoll] = useState(false);
  const [pollOptions, setPollOptions] = useState('');
  const [pinned, setPinned] = useState(false);
  const [tierId, setTierId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [create, { loading, error }] = useMutation(CreatePostDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!body.trim()) return setProblem('Write something first.');
    const options = parsePollOptions(pollOptions);
    if (withPoll && options.length < 2) return setProblem('A poll needs at least two options, one a line.');
    const result = await create({
      variables: {
        input: {
          communityId,
          title: title.trim() || null,
          body: textToHtml(body),
          tags: parseTags(tags),
          ...(pinned ? { pinned: true } : {}),
          ...(tierId ? { requiredTierId: tierId } : {}),
          ...(withPoll ? { poll: { options } } : {}),
        },
      },
    }).catch(() => null);
    const post = result?.data?.createPost.post;
    if (!post) return;
    client.cache.updateQuery({ query: CommunityFeedDocument, variables: { communityId } }, (prev) =>
      prev?.community && !prev.community.feed.edges.some((e) => e.node.id === post.id)
        ? {
            community: {
              ...prev.community,
              feed: {
                ...prev.community.feed,
                edges: [
                  { __typename: 'PostEdge' as const, cursor: '', node: post },
                  ...prev.community.feed.edges,
                ],
              },
            },
          }
        : prev,
    );
    setTitle('');
    setBody('');
    setTags('');
    setPollOptions('');
    setWithPoll(false);
    setPinned(false);
    setTierId('');
  };
  return (
    <Card className="eg-feed__composer">
      <form onSubmit={(e) => void submit(e)} aria-label="New post">
        <h2>New post</h2>
        <TextField
          label="Title (optional)"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
        <div className="eg-field">
          <label htmlFor={bodyId} className="eg-field__label">
            Post
          </label>
          <textarea
            id={bodyId}
            className="eg-field__input"
            rows={4}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
        <TextField
          label="Tags"
          hint="Separated by spaces or commas, at most 12."
          value={tags}
          onChange={(e) => setTags(e.target.value)}
        />
        <label className="eg-community__check">
          <input type="checkbox" checked={withPoll} onChange={(e) => setWithPoll(e.target.checked)} /> Add a
          poll
        </label>
        {withPoll ? (
          <div className="eg-field">
            <label htmlFor={pollId} className="eg-field__label">
              Poll options (one a line)
            </label>
            <textarea
              id={pollId}
              className="eg-field__input"
              rows={3}
              value={pollOptions}
              onChange={(e) => setPollOptions(e.target.value)}
            />
          </div>
        ) : null}
        {can(permissions, 'POST_PIN') ? (
          <label className="eg-community__check">
            <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} /> Pin to
            the top
          </label>
        ) : null}
        {can(permissions, 'TIER_MANAGE') ? (
          <TierGateSelect communityId={communityId} value={tierId} onChange={setTierId} />
        ) : null}
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        {error ? <Alert tone="error">The post was not published: {error.message}</Alert> : null}
        <Button type="submit" busy={loading}>
          Publish
        </Button>
      </form>
    </Card>
  );
}

function PostCard({
  post,
  communityId,
  permissions,
}: {
  post: FeedPostFragment;
  communityId: string;
  permissions: readonly CommunityPermission[];
}) {
  const client = useApolloClient();
  const headingId = useId();
  const [showComments, setShowComments] = useState(false);
  const [pin, pinning] = useMutation(PinPostDocument);
  const [remove, removing] = useMutation(DeletePostDocument);
  const onDelete = async () => {
    const result = await remove({ variables: { input: { postId: post.id } } }).catch(() => null);
    if (!result?.data) return;
    client.cache.updateQuery({ query: CommunityFeedDocument, variables: { communityId } }, (prev) =>
      prev?.community
        ? {
            community: {
              ...prev.community,
              feed: {
                ...prev.community.feed,
                edges: prev.community.feed.edges.filter((e) => e.node.id !== post.id),
              },
            },
          }
        : prev,
    );
  };
  const error = pinning.error ?? removing.error;
  const name = post.title ?? `Post by ${post.author.displayName}`;
  return (
    <Card as="li" className={post.pinned ? 'eg-post eg-post--pinned' : 'eg-post'}>
      <article aria-labelledby={headingId}>
        <h2 id={headingId}>
          {post.pinned ? <span className="eg-post__badge">Pinned · </span> : null}
          {post.title ?? <span className="eg-community-sr">{name}</span>}
        </h2>
        <p className="eg-community__meta">
          {post.author.displayName} · <time dateTime={post.publishAt}>{formatDateTime(post.publishAt)}</time>
          <ModerationMarker state={post.moderationState} />
        </p>
        {post.locked || post.body === null || post.body === undefined ? (
          <>
            <p>{post.excerpt}</p>
            {post.locked ? (
              <LockedPostNotice requiredTierId={post.requiredTierId ?? null} communityId={communityId} />
            ) : null}
          </>
        ) : (
          <SafeHtml html={post.body} />
        )}
        {post.tags.length ? (
          <ul className="eg-post__tags" aria-label="Tags">
            {post.tags.map((t) => (
              <li key={t}>#{t}</li>
            ))}
          </ul>
        ) : null}
        {post.poll ? (
          <PollView postId={post.id} poll={post.poll} canVote={can(permissions, 'POLL_VOTE')} />
        ) : null}
        <Reactions post={post} canReact={can(permissions, 'REACTION_CREATE')} />
        <div className="eg-post__actions">
          <Button variant="link" aria-expanded={showComments} onClick={() => setShowComments((s) => !s)}>
            {post.commentCount === 1 ? '1 comment' : `${post.commentCount} comments`}
          </Button>
          {can(permissions, 'POST_PIN') ? (
            <Button
              variant="secondary"
              busy={pinning.loading}
              onClick={() =>
                void pin({ variables: { input: { postId: post.id, pinned: !post.pinned } } }).catch(
                  () => undefined,
                )
              }
            >
              {post.pinned ? 'Unpin' : 'Pin'}
            </Button>
          ) : null}
          {can(permissions, 'CONTENT_REPORT') && !post.viewerCanEdit ? (
            <ReportButton communityId={communityId} targetType="POST" targetId={post.id} subject={name} />
          ) : null}
          {post.viewerCanDelete ? (
            <Button
              variant="danger"
              busy={removing.loading}
              onClick={() => void onDelete()}
              aria-label={`Delete ${name}`}
            >
              Delete
            </Button>
          ) : null}
        </div>
        {error ? <Alert tone="error">{error.message}</Alert> : null}
        {showComments ? (
          <CommentsSection
            postId={post.id}
            canComment={can(permissions, 'COMMENT_CREATE')}
            reportIn={can(permissions, 'CONTENT_REPORT') ? communityId : undefined}
          />
        ) : null}
      </article>
    </Card>
  );
}

function Reactions({ post, canReact }: { post: FeedPostFragment; canReact: boolean }) {
  const [add, adding] = useMutation(AddCommunityReactionDocument);
  const [removeReaction, removing] = useMutation(RemoveCommunityReactionDocument);
  const emojis = [...new Set([...REACTION_EMOJIS, ...post.reactions.map((r) => r.emoji)])];
  const error = adding.error ?? removing.error;
  return (
    <div className="eg-post__reactions" role="group" aria-label="Reactions">
      {emojis.map((emoji) => {
        const count = post.reactions.find((r) => r.emoji === emoji)?.count ?? 0;
        const mine = post.viewerReactions.includes(emoji);
        const input = { targetType: 'POST' as const, targetId: post.id, emoji };
        return (
          <button
            key={emoji}
            type="button"
            className={mine ? 'eg-reaction is-mine' : 'eg-reaction'}
            aria-pressed={mine}
            aria-label={`${emoji} ${count} ${count === 1 ? 'reaction' : 'reactions'}${mine ? ', yours' : ''}`}
            disabled={!canReact || adding.loading || removing.loading}
            onClick={() =>
              void (mine ? removeReaction({ variables: { input } }) : add({ variables: { input } })).catch(
                () => undefined,
              )
            }
          >
            {emoji} {count}
          </button>
        );
      })}
      {error ? <Alert tone="error">{error.message}</Alert> : null}
    </div>
  );
}

function PollView({
  postId,
  poll,
  canVote,
}: {
  postId: string;
  poll: NonNullable<FeedPostFragment['poll']>;
  canVote: boolean;
}) {
  const legendId = useId();
  const [chosen, setChosen] = useState<string[]>(poll.viewerVoteOptionIds);
  const [vote, { loading, error }] = useMutation(VotePollDocument);
  const multiple = poll.mode === 'MULTIPLE';
  const total = poll.options.reduce((sum, o) => sum + (o.voteCount ?? 0), 0);
  const voted = poll.viewerVoteOptionIds.length > 0;
  return (
    <form
      className="eg-poll"
      onSubmit={(e) => {
        e.preventDefault();
        void vote({ variables: { input: { postId, optionIds: chosen } } }).catch(() => undefined);
      }}
    >
      <fieldset disabled={poll.closed || !canVote}>
        <legend id={legendId}>
          Poll{poll.closed ? ' (closed)' : ''}
          {multiple ? ' — choose any' : ''}
        </legend>
        {poll.options.map((o) => (
          <div key={o.id} className="eg-poll__option">
            <label>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={`poll-${postId}`}
                value={o.id}
                checked={chosen.includes(o.id)}
                onChange={(e) =>
                  setChosen((prev) =>
                    multiple
                      ? e.target.checked
                        ? [...prev, o.id]
                        : prev.filter((id) => id !== o.id)
                      : [o.id],
                  )
                }
              />{' '}
              {o.label}
            </label>
            {poll.resultsVisible && o.voteCount !== null && o.voteCount !== undefined ? (
              <span className="eg-poll__result">
                {' '}
                <meter
                  min={0}
                  max={Math.max(total, 1)}
                  value={o.voteCount}
                  aria-label={`${o.label} votes`}
                />{' '}
                {o.voteCount} {o.voteCount === 1 ? 'vote' : 'votes'}
              </span>
            ) : null}
          </div>
        ))}
        {!poll.closed && canVote ? (
          <Button type="submit" variant="secondary" busy={loading} disabled={chosen.length === 0}>
            {voted ? 'Change vote' : 'Vote'}
          </Button>
        ) : null}
      </fieldset>
      {poll.resultsVisible && poll.voterCount !== null && poll.voterCount !== undefined ? (
        <p className="eg-community__meta">
          {poll.voterCount === 1 ? '1 voter' : `${poll.voterCount} voters`}
        </p>
      ) : (
        <p className="eg-community__meta">Results are shown after you vote.</p>
      )}
      {error ? <Alert tone="error">{error.message}</Alert> : null}
    </form>
  );
}
