import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ConversationKind = 'CHANNEL' | 'DIRECT' | 'GROUP';
export type ChannelType = 'TEXT' | 'ANNOUNCEMENT';
export type ConversationRole = 'OWNER' | 'MODERATOR' | 'MEMBER';

/** One id space for community channels, 1:1 (DIRECT) and GROUP conversations. */
@Entity({ name: 'conversations' })
export class ConversationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: ConversationKind;

  @Column({ type: 'uuid', nullable: true })
  communityId!: string | null;

  @Column({ type: 'text', nullable: true })
  channelType!: ChannelType | null;

  /** Every member of the community belongs to it (synced from community's membership events). */
  @Column({ type: 'boolean', default: false })
  communityWide!: boolean;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  /** `<smaller user id>:<larger user id>` for DIRECT conversations (reuse). */
  @Column({ type: 'text', nullable: true })
  directKey!: string | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @Column({ type: 'timestamptz' })
  lastActivityAt!: Date;
}

@Entity({ name: 'conversation_members' })
export class ConversationMemberEntity {
  @PrimaryColumn({ type: 'uuid' })
  conversationId!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  role!: ConversationRole;

  @Column({ type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  mutedUntil!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  mutedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastReadAt!: Date | null;
}
