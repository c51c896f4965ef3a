import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommunityMemberRole, MembershipStatus } from '../access/permissions.js';

/** One row per (community, user), whatever happened: active, requested, invited, left or banned. */
@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  role!: CommunityMemberRole;

  @Column({ type: 'uuid', nullable: true })
  customRoleId!: string | null;

  @Column({ type: 'text' })
  status!: MembershipStatus;

  /** IANA time zone (streaks and reminders count days in it). */
  @Column({ type: 'text' })
  timeZone!: string;

  /** When the membership last became ACTIVE. */
  @Column({ type: 'timestamptz', nullable: true })
  joinedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  requestedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  leftAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  bannedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  banReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  mutedUntil!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  invitedById!: string | null;

  /** The invite link the member joined through, if any. */
  @Column({ type: 'uuid', nullable: true })
  inviteId!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A custom role: a name and the permissions it adds to its holders' built-in role. */
@Entity({ name: 'community_roles' })
export class CommunityRoleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  permissions!: string[];

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** An invite link: only the SHA-256 of its token is stored; `uses` counts the users who joined through it. */
@Entity({ name: 'community_invites' })
export class CommunityInviteEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'text' })
  tokenHash!: string;

  /** The token's first characters, to tell links apart in a list. */
  @Column({ type: 'text' })
  tokenHint!: string;

  @Column({ type: 'uuid' })
  createdById!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'integer', nullable: true })
  maxUses!: number | null;

  @Column({ type: 'integer' })
  uses!: number;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
