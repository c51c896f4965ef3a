import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SessionEndReason =
  | 'SIGNED_OUT'
  | 'SIGNED_OUT_EVERYWHERE'
  | 'REVOKED'
  | 'SESSION_LIMIT'
  | 'REFRESH_TOKEN_REUSED'
  | 'PASSWORD_CHANGED'
  | 'PASSWORD_RESET'
  | 'USER_DISABLED';

/** A signed-in device: one refresh-token family. */
@Entity({ name: 'sessions', schema: 'identity' })
export class SessionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastUsedAt!: Date;

  /** Sliding expiry (30 days after the last refresh, never past `absoluteExpiresAt`). */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz' })
  absoluteExpiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  revokedReason!: SessionEndReason | null;

  /** Second factor proven (TOTP at sign-in or enrolment confirmed in this session). */
  @Column({ type: 'boolean' })
  mfaVerified!: boolean;

  @Column({ type: 'text', nullable: true })
  ipAddress!: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;
}

@Entity({ name: 'refresh_tokens', schema: 'identity' })
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  sessionId!: string;

  /** sha256 (hex) of the opaque token; the token itself is never stored. */
  @Column({ type: 'text' })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;

  /** Set when the token was exchanged for a new one; presenting it again is reuse. */
  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;
}

export function isSessionActive(session: SessionEntity, now: Date): boolean {
  return (
    session.revokedAt === null &&
    session.expiresAt.getTime() > now.getTime() &&
    session.absoluteExpiresAt.getTime() > now.getTime()
  );
}
