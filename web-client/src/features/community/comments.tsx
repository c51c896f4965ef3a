import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Alert, Button, Spinner } from '../../components/index.js';
import {
  CreateCommentDocument,
  PostCommentsDocument,
  type FeedCommentFragment,
} from '../../generated/graphql.js';
import { SafeHtml, textToHtml } from '../player/safe-html.js';
import { formatDateTime } from './format.js';
import { ModerationMarker } from './moderation-marker.js';
import { ReportButton } from './report-dialog.js';

type Thread = FeedCommentFragment & { replies?: { edges: { node: Thread }[] } };

/**
 * A post's comments as a thread: comments and their replies (two levels — a third level nested in one query goes
 * past the gateway's depth limit of 12; 20 comments × 10 replies keeps the query inside its cost budget), with a form for a comment and for replies to comments.
 */
export function CommentsSection({
  postId,
  canComment,
  reportIn,
}: {
  postId: string;
  canComment: boolean;
  /** The community to report comments in (CONTENT_REPORT); no "Report" without it. */
  reportIn?: string | undefined;
}) {
  const { data, loading, error } = useQuery(PostCommentsDocument, { variables: { postId } });
  const comments = (data?.post?.comments?.edges ?? []).map((e) => e.node as Thread);
  return (
    <section className="eg-comments" aria-label="Comments">
      {error ? <Alert tone="error">The comments could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && comments.length === 0 ? <p>No comments yet.</p> : null}
      {comments.length ? (
        <CommentList comments={comments} postId={postId} canComment={canComment} reportIn={reportIn} />
      ) : null}
      {canComment ? <CommentForm postId={postId} parentId={null} label="Add a comment" /> : null}
    </section>
  );
}

function CommentList({
  comments,
  postId,
  canComment,
  reportIn,
}: {
  comments: Thread[];
  postId: string;
  canComment: boolean;
  reportIn?: string | undefined;
}) {
  return (
    <ul className="eg-comments__list">
      {comments.map((c) => (
        <CommentItem key={c.id} comment={c} postId={postId} canComment={canComment} reportIn={reportIn} />
      ))}
    </ul>
  );
}

function CommentItem({
  comment,
  postId,
  canComment,
  reportIn,
}: {
  comment: Thread;
  postId: string;
  canComment: boolean;
  reportIn?: string | undefined;
}) {
  const [replying, setReplying] = useState(false);
  const replies = comment.replies?.edges.map((e) => e.node) ?? [];
  return (
    <li className="eg-comment" data-depth={comment.depth}>
      <p className="eg-community__meta">
        {comment.author.displayName} ·{' '}
        <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt)}</time>
        <ModerationMarker state={comment.moderationState} />
      </p>
      <SafeHtml html={comment.body} />
      {reportIn && !comment.viewerCanEdit ? (
        <ReportButton
          communityId={reportIn}
          targetType="COMMENT"
          targetId={comment.id}
          subject={`comment by ${comment.author.displayName}`}
        />
      ) : null}
      {canComment && comment.depth === 0 ? (
        <Button variant="link" aria-expanded={replying} onClick={() => setReplying((r) => !r)}>
          Reply to {comment.author.displayName}
        </Button>
      ) : null}
      {replying ? (
        <CommentForm
          postId={postId}
          parentId={comment.id}
          label={`Reply to ${comment.author.displayName}`}
          onDone={() => setReplying(false)}
        />
      ) : null}
      {replies.length ? (
        <CommentList comments={replies} postId={postId} canComment={canComment} reportIn={reportIn} />
      ) : null}
    </li>
  );
}

function CommentForm({
  postId,
  parentId,
  label,
  onDone,
}: {
  postId: string;
  parentId: string | null;
  label: string;
  onDone?: () => void;
}) {
  const id = useId();
  const client = useApolloClient();
  const [text, setText] = useState('');
  const [create, { loading, error }] = useMutation(CreateCommentDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const result = await create({
      variables: { input: { postId, body: textToHtml(text), ...(parentId ? { parentId } : {}) } },
    }).catch(() => null);
    if (!result?.data) return;
    setText('');
    onDone?.();
    // the thread is small (20 comments, 10 replies each): read it again rather than splice replies into nested lists
    await client.refetchQueries({ include: [PostCommentsDocument] }).catch(() => undefined);
  };
  return (
    <form className="eg-comments__form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id} className="eg-field__label">
        {label}
      </label>
      <textarea
        id={id}
        className="eg-field__input"
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {error ? <Alert tone="error">The comment was not posted: {error.message}</Alert> : null}
      <Button type="submit" variant="secondary" busy={loading} disabled={!text.trim()}>
        {parentId ? 'Reply' : 'Comment'}
      </Button>
    </form>
  );
}
