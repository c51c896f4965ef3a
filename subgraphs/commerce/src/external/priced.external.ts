import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { ProductKind } from '../modules/catalog/product.entity.js';

/*
 * Entities other subgraphs own, keyed by id: commerce contributes `price` (Federation 2 — each
 * subgraph declares the key it resolves; no `extend`/`@external` needed for key fields).
 */

@Directive('@key(fields: "id")')
@ObjectType('Course')
export class Course {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Ebook')
export class Ebook {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('CommunityTier', { description: 'A paid community tier (owned by community).' })
export class CommunityTier {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('TutorProfile', { description: 'A tutor (owned by live); priced per hour.' })
export class TutorProfile {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('LiveSession', { description: 'A live session (owned by live); priced per ticket.' })
export class LiveSession {
  @Field(() => ID)
  id!: string;
}

/** Which product kind prices each entity. */
export const PRICED_ENTITIES = [
  { type: Course, name: 'Course', kind: 'COURSE' },
  { type: Ebook, name: 'Ebook', kind: 'EBOOK' },
  { type: CommunityTier, name: 'CommunityTier', kind: 'COMMUNITY_TIER' },
  { type: TutorProfile, name: 'TutorProfile', kind: 'TUTOR_HOURS' },
  { type: LiveSession, name: 'LiveSession', kind: 'LIVE_TICKET' },
] as const satisfies readonly { type: new () => { id: string }; name: string; kind: ProductKind }[];
