import { NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { assertUnlocked } from './comment.service.js';
import { canSeePost } from './feed-access.js';
import type { TierGate } from './feed-gate.js';
import { PollEntity, PollOptionEntity, PostEntity } from './feed.entity.js';
import { InvalidPollVoteError, PollClosedError } from './feed.errors.js';

const S = '"community"';

/** A poll is closed once `closesAt` has passed. */
export function pollClosed(poll: Pick<PollEntity, 'closesAt'>, now: Date): boolean {
  return poll.closesAt !== null && poll.closesAt <= now;
}

/**
 * Poll votes (POLL_VOTE): SINGLE polls take exactly one option, MULTIPLE polls one or more; voting again
 * replaces the viewer's vote, until the poll closes (POLL_CLOSED). Votes on one poll are serialised by
 * the poll row's lock, so concurrent votes — by many people, or by one person changing their mind — keep
 * every option count and the voter count equal to the votes stored.
 */
export class PollService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly tiers: () => TierGate | null,
  ) {}

  async vote(viewer: Viewer, postId: string, optionIds: readonly string[]): Promise<PostEntity> {
    if (!isUuid(postId)) throw new NotFoundError('Poll');
    const wanted = [...new Set(optionIds.map((id) => id.toLowerCase()))];
    if (wanted.length === 0 || wanted.length !== optionIds.length || !wanted.every(isUuid))
      throw new InvalidPollVoteError('Name one or more different options of the poll.');
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const post = await manager.getRepository(PostEntity).findOneBy({ id: postId });
      const poll = post ? await manager.getRepository(PollEntity).findOneBy({ postId }) : null;
      if (!post || !poll) throw new NotFoundError('Poll');
      const read = await this.access.resolve(viewer, post.communityId, { manager });
      if (!canSeePost(read, post, now) || post.publishAt > now) throw new NotFoundError('Poll');
      const context = await this.access.require(viewer, post.communityId, 'POLL_VOTE', { manager });
      await assertUnlocked(this.tiers, context, post);
      if (pollClosed(poll, now)) throw new PollClosedError();
      const options = await manager.getRepository(PollOptionEntity).findBy({ postId });
      const known = new Set(options.map((o) => o.id));
      if (!wanted.every((id) => known.has(id)))
        throw new InvalidPollVoteError('Every option must belong to this poll.');
      if (poll.mode === 'SINGLE' && wanted.length !== 1)
        throw new InvalidPollVoteError('This poll takes exactly one option.');

      // Votes on one poll take turns (the poll row's lock): counts never drift, and option rows are
      // never locked in different orders by two voters.
      await manager.query(`SELECT post_id FROM ${S}.polls WHERE post_id = $1 FOR UPDATE`, [postId]);
      const previous = (
        (await manager.query(`SELECT option_id FROM ${S}.poll_votes WHERE post_id = $1 AND user_id = $2`, [
          postId,
          viewer.userId,
        ])) as { option_id: string }[]
      ).map((r) => r.option_id);
      const removed = previous.filter((id) => !wanted.includes(id));
      const added = wanted.filter((id) => !previous.includes(id));
      if (removed.length > 0) {
        await manager.query(
          `DELETE FROM ${S}.poll_votes WHERE user_id = $1 AND option_id = ANY($2::uuid[])`,
          [viewer.userId, removed],
        );
        await manager.query(
          `UPDATE ${S}.poll_options SET vote_count = vote_count - 1 WHERE id = ANY($1::uuid[])`,
          [removed],
        );
      }
      if (added.length > 0) {
        await manager.query(
          `INSERT INTO ${S}.poll_votes (post_id, option_id, user_id, created_at)
           SELECT $1, unnest($2::uuid[]), $3, $4`,
          [postId, added, viewer.userId, now],
        );
        await manager.query(
          `UPDATE ${S}.poll_options SET vote_count = vote_count + 1 WHERE id = ANY($1::uuid[])`,
          [added],
        );
      }
      if (previous.length === 0)
        await manager.query(`UPDATE ${S}.polls SET voter_count = voter_count + 1 WHERE post_id = $1`, [
          postId,
        ]);
      return post;
    });
  }
}
