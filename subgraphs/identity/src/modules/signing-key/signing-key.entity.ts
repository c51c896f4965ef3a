import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JWK } from 'jose';

@Entity({ name: 'signing_keys', schema: 'identity' })
export class SigningKeyEntity {
  /** The `kid`. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  algorithm!: 'ES256';

  @Column({ type: 'jsonb' })
  publicJwk!: JWK;

  /** Private JWK as JSON, sealed with the data key (see SecretBox). */
  @Column({ type: 'text' })
  privateJwk!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** From this moment the key may sign (it is published in JWKS from `createdAt`). */
  @Column({ type: 'timestamptz' })
  activatesAt!: Date;

  /** Superseded by a newer key from this moment: it signs nothing after it. */
  @Column({ type: 'timestamptz', nullable: true })
  retiresAt!: Date | null;

  /** Removed from JWKS after this moment (its last tokens have expired). */
  @Column({ type: 'timestamptz', nullable: true })
  removeAfter!: Date | null;
}
