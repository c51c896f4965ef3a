import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RenditionKind = 'PDF' | 'PAGE_IMAGE' | 'THUMBNAIL';

const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

@Entity({ name: 'asset_renditions' })
export class RenditionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  assetId!: string;

  @Column({ type: 'text' })
  kind!: RenditionKind;

  /** 1-based page of a PAGE_IMAGE. */
  @Column({ type: 'integer', nullable: true })
  page!: number | null;

  @Column({ type: 'text' })
  storageKey!: string;

  @Column({ type: 'text' })
  contentType!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size!: number;

  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
