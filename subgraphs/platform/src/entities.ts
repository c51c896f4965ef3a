import { AuditEventEntity } from './modules/audit/audit-event.entity.js';
import { DataSubjectRequestEntity } from './modules/data-subject-request/data-subject-request.entity.js';
import { FeatureFlagEntity, FeatureFlagOverrideEntity } from './modules/feature-flag/feature-flag.entity.js';
import {
  RetentionPolicyEntity,
  RetentionRunEntity,
  RetentionRunItemEntity,
} from './modules/retention/retention.entity.js';
import { RuntimeConfigEntryEntity } from './modules/runtime-config/runtime-config.entity.js';

export const platformEntities = [
  AuditEventEntity,
  DataSubjectRequestEntity,
  FeatureFlagEntity,
  FeatureFlagOverrideEntity,
  RetentionPolicyEntity,
  RetentionRunEntity,
  RetentionRunItemEntity,
  RuntimeConfigEntryEntity,
];
