import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ConfigExposure, ConfigValueType } from './config-value.js';

@Entity({ name: 'runtime_config_entries' })
export class RuntimeConfigEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  type!: ConfigValueType;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ type: 'text' })
  exposure!: ConfigExposure;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
