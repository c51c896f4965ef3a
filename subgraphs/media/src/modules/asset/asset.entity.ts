import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AssetKind } from './upload-policy.js';

export type AssetStatus =
  'PENDING_UPLOAD' | 'UPLOADED' | 'SCANNING' | 'READY' | 'QUARANTINED' | 'FAILED' | 'EXPIRED';
export type AssetVisibility = 'PRIVATE' | 'RESTRICTED' | 'PUBLIC';
export type RenditionStatus = 'NONE' | 'PENDING' | 'PROCESSING' | 'READY' | 'FAILED';

/** `bigint` comes back from pg as a string; sizes stay far below 2^53. */
const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

@Entity({ name: 'assets' })
export class AssetEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  kind!: AssetKind;

  @Column({ type: 'text' })
  status!: AssetStatus;

  @Column({ type: 'text' })
  visibility!: AssetVisibility;

  /** The domain whose "may view" rule decides RESTRICTED access (e.g. `learning`). */
  @Column({ type: 'text', nullable: true })
  ownerDomain!: string | null;

  /** What the asset belongs to in that domain, e.g. `Lesson:<uuid>` (passed to the rule). */
  @Column({ type: 'text', nullable: true })
  subjectRef!: string | null;

  @Column({ type: 'text' })
  fileName!: string;

  @Column({ type: 'text' })
  mimeType!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size!: number;

  @Column({ type: 'text' })
  sha256!: string;

  /** `incoming/<random>`: where the client uploads (never served). */
  @Column({ type: 'text' })
  uploadKey!: string;

  /** `assets/<id>/<random>`: the checked copy, served once READY. */
  @Column({ type: 'text', nullable: true })
  storageKey!: string | null;

  /** `quarantine/<id>/<random>`: where an infected file is kept until purged. */
  @Column({ type: 'text', nullable: true })
  quarantineKey!: string | null;

  @Column({ type: 'integer' })
  scanAttempts!: number;

  @Column({ type: 'text', nullable: true })
  scanSignature!: string | null;

  @Column({ type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ type: 'text' })
  renditionStatus!: RenditionStatus;

  @Column({ type: 'integer' })
  renditionProgress!: number;

  @Column({ type: 'text', nullable: true })
  renditionError!: string | null;

  @Column({ type: 'integer', nullable: true })
  pageCount!: number | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  uploadExpiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  uploadedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  scannedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  quarantinedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  purgedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiredAt!: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
