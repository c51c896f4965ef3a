import 'reflect-metadata';
import { buildFederatedSchema, type BuiltSubgraphSchema } from '@edugraph/kit';
import { userReferenceResolver } from './external/user.external.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { DataSubjectRequestResolver } from './modules/data-subject-request/data-subject-request.resolver.js';
import {
  FeatureFlagResolver,
  UserFeatureFlagsResolver,
} from './modules/feature-flag/feature-flag.resolver.js';
import { RetentionResolver } from './modules/retention/retention.resolver.js';
import { RuntimeConfigResolver } from './modules/runtime-config/runtime-config.resolver.js';

let cached: Promise<BuiltSubgraphSchema> | null = null;

/** The platform subgraph schema (built once per process; resolvers call the bound services). */
export function buildPlatformSchema(): Promise<BuiltSubgraphSchema> {
  cached ??= buildFederatedSchema({
    resolvers: [
      FeatureFlagResolver,
      UserFeatureFlagsResolver,
      RuntimeConfigResolver,
      AuditResolver,
      RetentionResolver,
      DataSubjectRequestResolver,
    ],
    referenceResolvers: { User: userReferenceResolver },
  });
  return cached;
}
