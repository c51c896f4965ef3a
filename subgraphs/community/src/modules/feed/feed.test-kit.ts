import { expect } from 'vitest';
import type { CommunityHarness, TestUser } from '../../testing/community-harness.js';

/** GraphQL documents and helpers shared by the feed module's specs. */

export const POST_FIELDS = `id title body excerpt locked tags mentionHandles mentionedUsers { id } attachments { id }
  announcement pinned status publishAt moderationState requiredTierId commentCount reactionCount score
  author { id } reactions { emoji count } viewerReactions viewerCanEdit viewerCanDelete editedAt`;

export const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { post { ${POST_FIELDS} } } }`;
export const UPDATE_POST = `mutation($input: UpdatePostInput!) { updatePost(input: $input) { post { ${POST_FIELDS} } } }`;
export const DELETE_POST = `mutation($input: DeletePostInput!) { deletePost(input: $input) { postId } }`;
export const PIN_POST = `mutation($input: PinPostInput!) { pinPost(input: $input) { post { id pinned } } }`;
export const POST = `query($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`;

export const FEED = `query($id: ID!, $first: Int, $after: String, $sort: CommunityFeedSort, $window: CommunityFeedWindow, $tag: String) {
  community(id: $id) { feed(first: $first, after: $after, sort: $sort, window: $window, tag: $tag) {
    edges { cursor node { id title pinned score publishAt } }
    pageInfo { hasNextPage endCursor }
  } } }`;

export const CREATE_COMMENT = `mutation($input: CreateCommentInput!) { createComment(input: $input) {
  comment { id parentId depth body replyCount author { id } } post { id commentCount score } } }`;
export const UPDATE_COMMENT = `mutation($input: UpdateCommentInput!) { updateComment(input: $input) { comment { id body editedAt } } }`;
export const DELETE_COMMENT = `mutation($input: DeleteCommentInput!) { deleteComment(input: $input) { commentId post { id commentCount } } }`;

export const REACT = `mutation($input: CommunityReactionInput!) { addCommunityReaction(input: $input) {
  post { id reactionCount reactions { emoji count } viewerReactions }
  comment { id reactionCount reactions { emoji count } viewerReactions } } }`;
export const UNREACT = `mutation($input: CommunityReactionInput!) { removeCommunityReaction(input: $input) {
  post { id reactionCount reactions { emoji count } viewerReactions }
  comment { id reactionCount reactions { emoji count } viewerReactions } } }`;

export const VOTE = `mutation($input: VotePollInput!) { votePoll(input: $input) { post { id poll {
  mode closed resultsVisible voterCount viewerVoteOptionIds options { id label voteCount } } } } }`;

export type PostData = {
  id: string;
  title: string | null;
  body: string | null;
  excerpt: string;
  locked: boolean;
  tags: string[];
  mentionHandles: string[];
  mentionedUsers: { id: string }[];
  attachments: { id: string }[];
  announcement: boolean;
  pinned: boolean;
  status: 'PUBLISHED' | 'SCHEDULED';
  publishAt: string;
  moderationState: string;
  requiredTierId: string | null;
  commentCount: number;
  reactionCount: number;
  score: number;
  author: { id: string };
  reactions: { emoji: string; count: number }[];
  viewerReactions: string[];
  viewerCanEdit: boolean;
  viewerCanDelete: boolean;
  editedAt: string | null;
};

export type FeedPage = {
  community: {
    feed: {
      edges: { cursor: string; node: { id: string; title: string | null; pinned: boolean; score: number } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
};

export async function createPost(
  h: CommunityHarness,
  as: TestUser,
  input: Record<string, unknown>,
): Promise<PostData> {
  const data = await h.ok<{ createPost: { post: PostData } }>(CREATE_POST, { input }, as);
  return data.createPost.post;
}

export async function feedTitles(
  h: CommunityHarness,
  as: TestUser | null,
  variables: Record<string, unknown>,
): Promise<(string | null)[]> {
  const data = await h.ok<FeedPage>(FEED, variables, as);
  expect(data.community).not.toBeNull();
  return data.community!.feed.edges.map((e) => e.node.title);
}

/** Rows of a feed table, for "changed nothing" checks. */
export async function countRows(h: CommunityHarness, table: string): Promise<number> {
  const [row] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM "community".${table}`)) as {
    n: number;
  }[];
  return row?.n ?? 0;
}

/** Every feed table's row count plus the outbox, to show a refused call changed nothing. */
export async function feedState(h: CommunityHarness): Promise<Record<string, number>> {
  const tables = [
    'posts',
    'comments',
    'reactions',
    'reaction_counts',
    'polls',
    'poll_options',
    'poll_votes',
    'resources',
    'community_courses',
    'outbox',
  ];
  const state: Record<string, number> = {};
  for (const table of tables) state[table] = await countRows(h, table);
  const [sums] = (await h.dataSource.query(
    `SELECT coalesce(sum(comment_count), 0)::int AS comments, coalesce(sum(reaction_count), 0)::int AS reactions,
            count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted,
            count(*) FILTER (WHERE pinned_at IS NOT NULL)::int AS pinned,
            coalesce(sum(length(body)), 0)::int AS body
       FROM "community".posts`,
  )) as Record<string, number>[];
  return { ...state, ...sums };
}
