import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  byKey,
  decodeCursor,
  encodeCursor,
  ForbiddenError,
  NotFoundError,
  pageSize,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { canModerate } from '../../common/access.js';
import { GroupFullError } from '../../common/messaging.errors.js';
import type { RealtimePublisher } from '../realtime/realtime.topics.js';
import { CommunityChannelSync } from './community-sync.js';
import {
  ConversationEntity,
  ConversationMemberEntity,
  type ChannelType,
  type ConversationKind,
  type ConversationRole,
} from './conversation.entity.js';

export const MAX_IDS_PER_CALL = 100;
export const MAX_MUTE_MINUTES = 43_200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A semi-join (not a join): keeps paginate to one SQL statement per page. */
const MEMBER_OF_VIEWER =
  'EXISTS (SELECT 1 FROM "messaging".conversation_members vm WHERE vm.conversation_id = c.id AND vm.user_id = :viewerId)';

export type Membership = { conversation: ConversationEntity; member: ConversationMemberEntity };

export function assertUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw new BadUserInputError(`"${field}" must be a UUID.`, field);
  return value.toLowerCase();
}

function uniqueIds(values: readonly string[], field: string): string[] {
  if (values.length > MAX_IDS_PER_CALL)
    throw new BadUserInputError(`At most ${MAX_IDS_PER_CALL} ids per call.`, field);
  return [...new Set(values.map((v) => assertUuid(v, field)))];
}

function cleanName(value: string | null | undefined, field = 'name'): string | null {
  if (value === null || value === undefined) return null;
  const name = value.trim();
  if (name.length < 1 || name.length > 80) throw new BadUserInputError('A name has 1–80 characters.', field);
  return name;
}

/** Conversations and their members: creation, 1:1 reuse, membership management, mutes, read state. */
export class ConversationService {
  /** Community-wide channels follow community's membership events (`communitySync.handlers()`). */
  readonly communitySync = new CommunityChannelSync();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: RealtimePublisher,
    private readonly options: { groupMaxMembers: number },
  ) {}

  private get conversations() {
    return this.dataSource.getRepository(ConversationEntity);
  }

  private get members() {
    return this.dataSource.getRepository(ConversationMemberEntity);
  }

  /** The conversation and the viewer's membership; NOT_FOUND if it does not exist, FORBIDDEN if not a member. */
  async requireMember(
    conversationId: string,
    viewer: Viewer,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Membership> {
    assertUuid(conversationId, 'conversationId');
    const conversation = await manager.findOneBy(ConversationEntity, { id: conversationId });
    if (!conversation) throw new NotFoundError('Conversation');
    const member = await manager.findOneBy(ConversationMemberEntity, {
      conversationId,
      userId: viewer.userId,
    });
    if (!member) throw new ForbiddenError('You are not a member of this conversation.');
    return { conversation, member };
  }

  /** The member another member acts on (remove, mute, change role); NOT_FOUND when absent. */
  private async requireTargetMember(
    manager: EntityManager,
    conversationId: string,
    userId: string,
  ): Promise<ConversationMemberEntity> {
    const target = await manager.findOneBy(ConversationMemberEntity, { conversationId, userId });
    if (!target) throw new NotFoundError('Member');
    return target;
  }

  /** Like requireMember, but a platform moderator passes without membership (member is then null). */
  async requireModerator(
    conversationId: string,
    viewer: Viewer,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ conversation: ConversationEntity; member: ConversationMemberEntity | null }> {
    assertUuid(conversationId, 'conversationId');
    const conversation = await manager.findOneBy(ConversationEntity, { id: conversationId });
    if (!conversation) throw new NotFoundError('Conversation');
    const member = await manager.findOneBy(ConversationMemberEntity, {
      conversationId,
      userId: viewer.userId,
    });
    if (!canModerate(member?.role, viewer))
      throw new ForbiddenError('Only moderators of this conversation can do this.');
    return { conversation, member };
  }

  async byId(conversationId: string, viewer: Viewer): Promise<ConversationEntity> {
    return (await this.requireMember(conversationId, viewer)).conversation;
  }

  async createChannel(
    viewer: Viewer,
    input: {
      communityId: string;
      name: string;
      type: ChannelType;
      memberIds?: string[] | null;
      communityWide?: boolean | null;
    },
  ): Promise<ConversationEntity> {
    const communityId = assertUuid(input.communityId, 'communityId');
    const name = cleanName(input.name)!;
    const memberIds = uniqueIds(input.memberIds ?? [], 'memberIds').filter((id) => id !== viewer.userId);
    const communityWide = input.communityWide === true;
    return this.dataSource.transaction(async (manager) => {
      // A community-wide channel holds every active member of the community (messaging's replica).
      const everyone = communityWide
        ? await this.communitySync.communityWideMembers(manager, viewer, communityId)
        : [];
      const conversation = manager.create(ConversationEntity, {
        id: randomUUID(),
        kind: 'CHANNEL',
        communityId,
        channelType: input.type,
        communityWide,
        name,
        directKey: null,
        createdBy: viewer.userId,
      });
      await manager.insert(ConversationEntity, conversation);
      const others = [...new Set([...memberIds, ...everyone])].filter((id) => id !== viewer.userId);
      await this.insertMembers(manager, conversation.id, [
        { userId: viewer.userId, role: 'OWNER' },
        ...others.map((userId) => ({ userId, role: 'MEMBER' as const })),
      ]);
      return manager.findOneByOrFail(ConversationEntity, { id: conversation.id });
    });
  }

  /** One other user → the 1:1 conversation (reused); several → a new group owned by the viewer. */
  async start(
    viewer: Viewer,
    input: { userIds: string[]; name?: string | null },
  ): Promise<{ conversation: ConversationEntity; created: boolean }> {
    const others = uniqueIds(input.userIds, 'userIds').filter((id) => id !== viewer.userId);
    if (others.length === 0) throw new BadUserInputError('Name at least one other participant.', 'userIds');
    if (others.length === 1) return this.startDirect(viewer.userId, others[0]!);
    if (others.length + 1 > this.options.groupMaxMembers)
      throw new GroupFullError(this.options.groupMaxMembers);
    const name = cleanName(input.name);
    const conversation = await this.dataSource.transaction(async (manager) => {
      const id = randomUUID();
      await manager.insert(ConversationEntity, {
        id,
        kind: 'GROUP',
        name,
        createdBy: viewer.userId,
        directKey: null,
        communityId: null,
        channelType: null,
      });
      await this.insertMembers(manager, id, [
        { userId: viewer.userId, role: 'OWNER' },
        ...others.map((userId) => ({ userId, role: 'MEMBER' as const })),
      ]);
      return manager.findOneByOrFail(ConversationEntity, { id });
    });
    return { conversation, created: true };
  }

  private async startDirect(
    userId: string,
    otherId: string,
  ): Promise<{ conversation: ConversationEntity; created: boolean }> {
    const directKey = [userId, otherId].sort().join(':');
    return this.dataSource.transaction(async (manager) => {
      const id = randomUUID();
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO "messaging".conversations (id, kind, direct_key, created_by) VALUES ($1, 'DIRECT', $2, $3)
         ON CONFLICT ON CONSTRAINT uq_conversations_direct_key DO NOTHING RETURNING id`,
        [id, directKey, userId],
      );
      if (inserted.length > 0) {
        await this.insertMembers(manager, id, [
          { userId, role: 'MEMBER' },
          { userId: otherId, role: 'MEMBER' },
        ]);
      }
      const conversation = await manager.findOneByOrFail(ConversationEntity, { directKey });
      return { conversation, created: inserted.length > 0 };
    });
  }

  private async insertMembers(
    manager: EntityManager,
    conversationId: string,
    rows: { userId: string; role: ConversationRole }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(ConversationMemberEntity)
      .values(rows.map((r) => ({ conversationId, userId: r.userId, role: r.role })))
      .orIgnore()
      .execute();
  }

  /** Group or channel: owners and moderators add members (a group stays ≤ the limit). */
  async addMembers(
    viewer: Viewer,
    input: { conversationId: string; userIds: string[] },
  ): Promise<ConversationEntity> {
    const userIds = uniqueIds(input.userIds, 'userIds');
    if (userIds.length === 0) throw new BadUserInputError('Name at least one user.', 'userIds');
    return this.dataSource.transaction(async (manager) => {
      const { conversation } = await this.requireModerator(input.conversationId, viewer, manager);
      if (conversation.kind === 'DIRECT')
        throw new BadUserInputError(
          'A 1:1 conversation has exactly two members; start a group instead.',
          'conversationId',
        );
      // Serialise membership changes of this conversation (the group limit holds under concurrency).
      await manager.query(`SELECT 1 FROM "messaging".conversations WHERE id = $1 FOR UPDATE`, [
        conversation.id,
      ]);
      if (conversation.kind === 'GROUP') {
        const [row] = (await manager.query(
          `SELECT count(*)::int AS n FROM "messaging".conversation_members WHERE conversation_id = $1 AND NOT (user_id = ANY($2::uuid[]))`,
          [conversation.id, userIds],
        )) as { n: number }[];
        if ((row?.n ?? 0) + userIds.length > this.options.groupMaxMembers)
          throw new GroupFullError(this.options.groupMaxMembers);
      }
      await this.insertMembers(
        manager,
        conversation.id,
        userIds.map((userId) => ({ userId, role: 'MEMBER' as const })),
      );
      return conversation;
    });
  }

  /** Owners and moderators remove a member (never the owner; moderators only plain members). */
  async removeMember(
    viewer: Viewer,
    input: { conversationId: string; userId: string },
  ): Promise<ConversationEntity> {
    const userId = assertUuid(input.userId, 'userId');
    return this.dataSource.transaction(async (manager) => {
      const { conversation, member } = await this.requireModerator(input.conversationId, viewer, manager);
      if (conversation.kind === 'DIRECT')
        throw new BadUserInputError('Members cannot be removed from a 1:1 conversation.', 'conversationId');
      const target = await this.requireTargetMember(manager, conversation.id, userId);
      if (target.role === 'OWNER') throw new ForbiddenError('The owner cannot be removed.');
      if (target.role === 'MODERATOR' && member?.role === 'MODERATOR')
        throw new ForbiddenError('Moderators cannot remove other moderators.');
      await manager.delete(ConversationMemberEntity, { conversationId: conversation.id, userId });
      return conversation;
    });
  }

  async leave(viewer: Viewer, input: { conversationId: string }): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const { conversation, member } = await this.requireMember(input.conversationId, viewer, manager);
      if (conversation.kind === 'DIRECT')
        throw new BadUserInputError('You cannot leave a 1:1 conversation.', 'conversationId');
      if (member.role === 'OWNER') {
        const [next] = (await manager.query(
          `SELECT user_id FROM "messaging".conversation_members WHERE conversation_id = $1 AND user_id <> $2
           ORDER BY (role = 'MODERATOR') DESC, joined_at, user_id LIMIT 1`,
          [conversation.id, viewer.userId],
        )) as { user_id: string }[];
        if (next)
          await manager.update(
            ConversationMemberEntity,
            { conversationId: conversation.id, userId: next.user_id },
            { role: 'OWNER' },
          );
      }
      await manager.delete(ConversationMemberEntity, {
        conversationId: conversation.id,
        userId: viewer.userId,
      });
      return conversation.id;
    });
  }

  /** The owner (or a platform moderator) makes a member MODERATOR or back to MEMBER. */
  async setRole(
    viewer: Viewer,
    input: { conversationId: string; userId: string; role: ConversationRole },
  ): Promise<ConversationMemberEntity> {
    const userId = assertUuid(input.userId, 'userId');
    if (input.role === 'OWNER')
      throw new BadUserInputError('Ownership is not transferred with this mutation.', 'role');
    return this.dataSource.transaction(async (manager) => {
      const { conversation, member } = await this.requireModerator(input.conversationId, viewer, manager);
      if (member?.role === 'MODERATOR') throw new ForbiddenError('Only the owner can change roles.');
      if (conversation.kind === 'DIRECT')
        throw new BadUserInputError('A 1:1 conversation has no roles.', 'conversationId');
      const target = await this.requireTargetMember(manager, conversation.id, userId);
      if (target.role === 'OWNER') throw new ForbiddenError('The owner’s role cannot be changed.');
      await manager.update(
        ConversationMemberEntity,
        { conversationId: conversation.id, userId },
        { role: input.role },
      );
      return manager.findOneByOrFail(ConversationMemberEntity, { conversationId: conversation.id, userId });
    });
  }

  async mute(
    viewer: Viewer,
    input: { conversationId: string; userId: string; minutes: number },
  ): Promise<ConversationMemberEntity> {
    const userId = assertUuid(input.userId, 'userId');
    if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_MUTE_MINUTES) {
      throw new BadUserInputError(`"minutes" must be between 1 and ${MAX_MUTE_MINUTES}.`, 'minutes');
    }
    return this.dataSource.transaction(async (manager) => {
      const { conversation, member } = await this.requireModerator(input.conversationId, viewer, manager);
      const target = await this.requireTargetMember(manager, conversation.id, userId);
      if (target.userId === viewer.userId) throw new BadUserInputError('You cannot mute yourself.', 'userId');
      if (
        target.role === 'OWNER' ||
        (target.role === 'MODERATOR' && member?.role !== 'OWNER' && member !== null)
      ) {
        throw new ForbiddenError('You cannot mute this member.');
      }
      await manager.update(
        ConversationMemberEntity,
        { conversationId: conversation.id, userId },
        { mutedUntil: new Date(Date.now() + input.minutes * 60_000), mutedBy: viewer.userId },
      );
      return manager.findOneByOrFail(ConversationMemberEntity, { conversationId: conversation.id, userId });
    });
  }

  async unmute(
    viewer: Viewer,
    input: { conversationId: string; userId: string },
  ): Promise<ConversationMemberEntity> {
    const userId = assertUuid(input.userId, 'userId');
    return this.dataSource.transaction(async (manager) => {
      const { conversation } = await this.requireModerator(input.conversationId, viewer, manager);
      await this.requireTargetMember(manager, conversation.id, userId);
      await manager.update(
        ConversationMemberEntity,
        { conversationId: conversation.id, userId },
        { mutedUntil: null, mutedBy: null },
      );
      return manager.findOneByOrFail(ConversationMemberEntity, { conversationId: conversation.id, userId });
    });
  }

  /** The viewer's conversations, most recent activity first. */
  async listForViewer(
    viewer: Viewer,
    args: ConnectionArgs,
    kind?: ConversationKind | null,
  ): Promise<Connection<ConversationEntity>> {
    const qb = this.conversations
      .createQueryBuilder('c')
      .where(MEMBER_OF_VIEWER, { viewerId: viewer.userId });
    if (kind) qb.andWhere('c.kind = :kind', { kind });
    return paginate(qb, args, { alias: 'c', sortBy: 'lastActivityAt', direction: 'DESC' });
  }

  /** A community's channels the viewer is a member of, by name. */
  async communityChannels(
    viewer: Viewer,
    communityId: string,
    args: ConnectionArgs,
  ): Promise<Connection<ConversationEntity>> {
    assertUuid(communityId, 'communityId');
    const qb = this.conversations
      .createQueryBuilder('c')
      .where(MEMBER_OF_VIEWER, { viewerId: viewer.userId })
      .andWhere('c.kind = :kind AND c.community_id = :communityId', { kind: 'CHANNEL', communityId });
    return paginate(qb, args, { alias: 'c', sortBy: 'createdAt', direction: 'ASC' });
  }

  /** Members of a conversation in user id order (keyset), ≤ 100 per page. */
  async membersPage(
    conversationId: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<{ nodes: ConversationMemberEntity[]; nextCursor: string | null }> {
    const limit = pageSize(args.first ?? 50);
    const qb = this.members
      .createQueryBuilder('m')
      .where('m.conversation_id = :conversationId', { conversationId });
    if (args.after) qb.andWhere('m.user_id > :after', { after: String(decodeCursor(args.after, 1)[0]) });
    const rows = await qb
      .orderBy('m.user_id', 'ASC')
      .take(limit + 1)
      .getMany();
    const nodes = rows.slice(0, limit);
    return { nodes, nextCursor: rows.length > limit ? encodeCursor([nodes.at(-1)!.userId]) : null };
  }

  // ---- batch reads for DataLoaders ----

  async byIds(ids: readonly string[]): Promise<(ConversationEntity | null)[]> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length
      ? await this.conversations.createQueryBuilder('c').where('c.id IN (:...ids)', { ids: valid }).getMany()
      : [];
    return byKey(ids, rows, (r) => r.id);
  }

  /** Memberships by `conversationId|userId` keys, one query. */
  async memberships(keys: readonly string[]): Promise<(ConversationMemberEntity | null)[]> {
    const pairs = keys
      .map((k) => k.split('|') as [string, string])
      .filter(([c, u]) => UUID.test(c) && UUID.test(u));
    if (pairs.length === 0) return keys.map(() => null);
    const rows = await this.members
      .createQueryBuilder('m')
      .where('(m.conversation_id, m.user_id) IN (SELECT * FROM unnest(:cids::uuid[], :uids::uuid[]))', {
        cids: pairs.map((p) => p[0]),
        uids: pairs.map((p) => p[1]),
      })
      .getMany();
    return byKey(keys, rows, (r) => `${r.conversationId}|${r.userId}`);
  }

  /** Whether each `conversationId|userId` key is a membership: one query on ids only (the per-event check). */
  async areMembers(keys: readonly string[]): Promise<boolean[]> {
    const pairs = keys
      .map((k) => k.split('|') as [string, string])
      .filter(([c, u]) => UUID.test(c) && UUID.test(u));
    if (pairs.length === 0) return keys.map(() => false);
    const rows = (await this.dataSource.query(
      `SELECT m.conversation_id, m.user_id FROM "messaging".conversation_members m
        WHERE (m.conversation_id, m.user_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    )) as { conversation_id: string; user_id: string }[];
    const found = new Set(rows.map((r) => `${r.conversation_id}|${r.user_id}`));
    return keys.map((key) => found.has(key));
  }

  async memberCounts(conversationIds: readonly string[]): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT conversation_id, count(*)::int AS n FROM "messaging".conversation_members WHERE conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`,
      [conversationIds],
    )) as { conversation_id: string; n: number }[];
    const counts = new Map(rows.map((r) => [r.conversation_id, r.n]));
    return conversationIds.map((id) => counts.get(id) ?? 0);
  }

  /** Unread messages of one user per conversation (others' messages after the read mark, not deleted or hidden). */
  async unreadCounts(userId: string, conversationIds: readonly string[]): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT m.conversation_id, count(msg.id)::int AS n
         FROM "messaging".conversation_members m
         JOIN "messaging".messages msg ON msg.conversation_id = m.conversation_id
          AND msg.created_at > COALESCE(m.last_read_at, '-infinity') AND msg.author_id <> m.user_id
          AND msg.deleted_at IS NULL AND msg.hidden_at IS NULL
        WHERE m.user_id = $1 AND m.conversation_id = ANY($2::uuid[])
        GROUP BY m.conversation_id`,
      [userId, conversationIds],
    )) as { conversation_id: string; n: number }[];
    const counts = new Map(rows.map((r) => [r.conversation_id, r.n]));
    return conversationIds.map((id) => counts.get(id) ?? 0);
  }

  /** The viewer's conversations with unread messages (≤ 100, most recent activity first) and the total. */
  async unreadSummary(
    viewer: Viewer,
  ): Promise<{ total: number; conversations: { conversationId: string; unreadCount: number }[] }> {
    const rows = (await this.dataSource.query(
      `SELECT m.conversation_id, count(msg.id)::int AS n
         FROM "messaging".conversation_members m
         JOIN "messaging".conversations c ON c.id = m.conversation_id
         JOIN "messaging".messages msg ON msg.conversation_id = m.conversation_id
          AND msg.created_at > COALESCE(m.last_read_at, '-infinity') AND msg.author_id <> m.user_id
          AND msg.deleted_at IS NULL AND msg.hidden_at IS NULL
        WHERE m.user_id = $1
        GROUP BY m.conversation_id, c.last_activity_at
        ORDER BY c.last_activity_at DESC, m.conversation_id DESC`,
      [viewer.userId],
    )) as { conversation_id: string; n: number }[];
    return {
      total: rows.reduce((sum, r) => sum + r.n, 0),
      conversations: rows
        .slice(0, MAX_IDS_PER_CALL)
        .map((r) => ({ conversationId: r.conversation_id, unreadCount: r.n })),
    };
  }

  /** Moves the viewer's read mark forward (to a message of the conversation, or to its latest). */
  async markRead(
    viewer: Viewer,
    input: { conversationId: string; messageId?: string | null },
  ): Promise<{ lastReadAt: Date | null; unreadCount: number }> {
    const messageId = input.messageId ? assertUuid(input.messageId, 'messageId') : null;
    const { conversation } = await this.requireMember(input.conversationId, viewer);
    const [target] = (await this.dataSource.query(
      messageId
        ? `SELECT created_at FROM "messaging".messages WHERE id = $2 AND conversation_id = $1`
        : `SELECT created_at FROM "messaging".messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      messageId ? [conversation.id, messageId] : [conversation.id],
    )) as { created_at: Date }[];
    if (messageId && !target) throw new NotFoundError('Message');
    if (target) {
      await this.dataSource.query(
        `UPDATE "messaging".conversation_members SET last_read_at = GREATEST(COALESCE(last_read_at, '-infinity'), $3)
          WHERE conversation_id = $1 AND user_id = $2`,
        [conversation.id, viewer.userId, target.created_at],
      );
    }
    const member = await this.members.findOneByOrFail({
      conversationId: conversation.id,
      userId: viewer.userId,
    });
    const [unreadCount = 0] = await this.unreadCounts(viewer.userId, [conversation.id]);
    this.publisher.unread([viewer.userId], conversation.id);
    return { lastReadAt: member.lastReadAt, unreadCount };
  }

  /** Member ids of a conversation (for unread notifications), one query. */
  async memberIds(manager: EntityManager, conversationId: string): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT user_id FROM "messaging".conversation_members WHERE conversation_id = $1`,
      [conversationId],
    )) as {
      user_id: string;
    }[];
    return rows.map((r) => r.user_id);
  }
}
