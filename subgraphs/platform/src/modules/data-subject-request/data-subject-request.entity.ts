import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DataSubjectRequestKind = 'EXPORT' | 'DELETE';
export type DataSubjectRequestStatus = 'RECEIVED' | 'IN_PROGRESS' | 'COMPLETED' | 'REJECTED';

@Entity({ name: 'data_subject_requests' })
export class DataSubjectRequestEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  kind!: DataSubjectRequestKind;

  @Column({ type: 'text' })
  status!: DataSubjectRequestStatus;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
