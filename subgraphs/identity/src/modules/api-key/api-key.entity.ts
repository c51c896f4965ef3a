import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'api_keys', schema: 'identity' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** First characters of the key, shown so owners can tell keys apart. */
  @Column({ type: 'text' })
  prefix!: string;

  /** sha256 (hex) of the plaintext key. */
  @Column({ type: 'text' })
  keyHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
