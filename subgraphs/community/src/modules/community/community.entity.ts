import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommunityVisibility, JoinPolicy, PostingPolicy } from '../access/permissions.js';

@Entity({ name: 'communities' })
export class CommunityEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'uuid', nullable: true })
  coverAssetId!: string | null;

  @Column({ type: 'text' })
  visibility!: CommunityVisibility;

  @Column({ type: 'text' })
  joinPolicy!: JoinPolicy;

  @Column({ type: 'text' })
  postingPolicy!: PostingPolicy;

  @Column({ type: 'text', array: true })
  categories!: string[];

  @Column({ type: 'double precision', nullable: true })
  locationLatitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  locationLongitude!: number | null;

  @Column({ type: 'text', nullable: true })
  locationName!: string | null;

  /** ACTIVE memberships, kept in the same transaction as every membership change. */
  @Column({ type: 'integer' })
  memberCount!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;
}
