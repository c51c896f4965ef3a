import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  ModerationActionEntity,
  ModerationCaseEntity,
  ModerationFlagEntity,
  ModerationReportEntity,
  ModerationSettingsEntity,
} from './moderation.entity.js';

export enum ModerationTargetTypeEnum {
  POST = 'POST',
  COMMENT = 'COMMENT',
  MEMBER = 'MEMBER',
}
registerEnumType(ModerationTargetTypeEnum, { name: 'ModerationTargetType' });

export enum ModerationReportReasonEnum {
  SPAM = 'SPAM',
  HARASSMENT = 'HARASSMENT',
  HATE = 'HATE',
  VIOLENCE = 'VIOLENCE',
  SEXUAL = 'SEXUAL',
  MISINFORMATION = 'MISINFORMATION',
  OFF_TOPIC = 'OFF_TOPIC',
  OTHER = 'OTHER',
}
registerEnumType(ModerationReportReasonEnum, { name: 'ModerationReportReason' });

export enum ModerationCaseStatusEnum {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}
registerEnumType(ModerationCaseStatusEnum, { name: 'ModerationCaseStatus' });

export enum ModerationSeverityEnum {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}
registerEnumType(ModerationSeverityEnum, {
  name: 'ModerationSeverity',
  description: 'From the risk score: ≥ 80 CRITICAL, ≥ 60 HIGH, ≥ 35 MEDIUM, else LOW.',
});

export enum ModeratorActionEnum {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  SUPPRESS = 'SUPPRESS',
  RESTORE = 'RESTORE',
  MUTE = 'MUTE',
  BAN = 'BAN',
}
registerEnumType(ModeratorActionEnum, {
  name: 'ModeratorAction',
  description:
    'APPROVE (dismiss; held content visible again, REPORTS_HANDLE), REJECT (remove), SUPPRESS, RESTORE (POST_MODERATE), MUTE (MEMBER_MUTE), BAN (MEMBER_BAN).',
});

export enum ModerationActionTypeEnum {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  SUPPRESS = 'SUPPRESS',
  RESTORE = 'RESTORE',
  MUTE = 'MUTE',
  BAN = 'BAN',
  AUTO_SUPPRESS = 'AUTO_SUPPRESS',
  UNDO = 'UNDO',
}
registerEnumType(ModerationActionTypeEnum, { name: 'ModerationActionType' });

export enum ModerationFlagKindEnum {
  BAD_WORDS = 'BAD_WORDS',
  LINK_SPAM = 'LINK_SPAM',
}
registerEnumType(ModerationFlagKindEnum, { name: 'ModerationFlagKind' });

@ObjectType('ModerationReport')
export class ModerationReport {
  @Field(() => ID)
  id!: string;

  @Field(() => ModerationReportReasonEnum)
  reason!: ModerationReportReasonEnum;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => String, { description: 'OPEN until the case is acted on, then CLOSED.' })
  status!: string;

  @Field(() => Date)
  createdAt!: Date;

  entity!: ModerationReportEntity;

  static from(entity: ModerationReportEntity): ModerationReport {
    return Object.assign(new ModerationReport(), {
      id: entity.id,
      reason: entity.reason as ModerationReportReasonEnum,
      note: entity.note,
      status: entity.status,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

@ObjectType('ModerationFlag')
export class ModerationFlag {
  @Field(() => ModerationFlagKindEnum)
  kind!: ModerationFlagKindEnum;

  @Field(() => Int, { description: '1–100, added to the case’s risk score.' })
  score!: number;

  @Field(() => [String], { description: 'Matched words, or link-spam reasons.' })
  details!: string[];

  @Field(() => Date)
  createdAt!: Date;

  static from(entity: ModerationFlagEntity): ModerationFlag {
    const d = entity.details;
    const list = (
      Array.isArray(d['words']) ? d['words'] : Array.isArray(d['reasons']) ? d['reasons'] : []
    ) as unknown[];
    return Object.assign(new ModerationFlag(), {
      kind: entity.kind as ModerationFlagKindEnum,
      score: entity.score,
      details: list.map(String),
      createdAt: entity.createdAt,
    });
  }
}

@ObjectType('ModerationAction', { description: 'One entry of the append-only moderation audit.' })
export class ModerationAction {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  caseId!: string;

  @Field(() => ModerationActionTypeEnum)
  action!: ModerationActionTypeEnum;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { description: 'JSON: case, content state and membership before the action.' })
  before!: string;

  @Field(() => String, { description: 'JSON: the same after the action (and the reports it closed).' })
  after!: string;

  @Field(() => ID, { nullable: true, description: 'UNDO: the action it undid.' })
  undoesActionId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  entity!: ModerationActionEntity;

  static from(entity: ModerationActionEntity): ModerationAction {
    return Object.assign(new ModerationAction(), {
      id: entity.id,
      caseId: entity.caseId,
      action: entity.action as ModerationActionTypeEnum,
      reason: entity.reason,
      before: JSON.stringify(entity.before),
      after: JSON.stringify(entity.after),
      undoesActionId: entity.undoesActionId,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

@ObjectType('ModerationCase', {
  description: 'Reports and automatic flags about one post, comment or member.',
})
export class ModerationCase {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field(() => ModerationTargetTypeEnum)
  targetType!: ModerationTargetTypeEnum;

  @Field(() => ID)
  targetId!: string;

  @Field(() => ID, { nullable: true, description: 'The comment’s post.' })
  postId!: string | null;

  @Field(() => String, { description: 'The content’s text when the case opened (≤ 280 characters).' })
  excerpt!: string;

  @Field(() => ModerationCaseStatusEnum)
  status!: ModerationCaseStatusEnum;

  @Field(() => ModerationActionTypeEnum, { nullable: true })
  resolution!: ModerationActionTypeEnum | null;

  @Field(() => Int, { description: '0–100: automatic flags + 20 per report.' })
  riskScore!: number;

  @Field(() => ModerationSeverityEnum)
  severity!: ModerationSeverityEnum;

  @Field(() => Int)
  reportCount!: number;

  @Field(() => Date)
  openedAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  entity!: ModerationCaseEntity;

  static from(entity: ModerationCaseEntity): ModerationCase {
    return Object.assign(new ModerationCase(), {
      id: entity.id,
      communityId: entity.communityId,
      targetType: entity.targetType as ModerationTargetTypeEnum,
      targetId: entity.targetId,
      postId: entity.postId,
      excerpt: entity.excerpt,
      status: entity.status as ModerationCaseStatusEnum,
      resolution: entity.resolution as ModerationActionTypeEnum | null,
      riskScore: entity.riskScore,
      severity: entity.severity as ModerationSeverityEnum,
      reportCount: entity.reportCount,
      openedAt: entity.openedAt,
      updatedAt: entity.updatedAt,
      resolvedAt: entity.resolvedAt,
      entity,
    });
  }
}

export const ModerationCaseConnection = ConnectionType(ModerationCase, 'ModerationCase');

@ObjectType('CommunityModerationSettings')
export class CommunityModerationSettings {
  @Field(() => [String], { description: 'The community’s additions to the default bad-word list.' })
  badWords!: string[];

  @Field(() => Int, { description: 'Entries of the built-in list (always applied).' })
  defaultBadWordCount!: number;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;

  static from(entity: ModerationSettingsEntity | null, defaults: number): CommunityModerationSettings {
    return Object.assign(new CommunityModerationSettings(), {
      badWords: entity?.badWords ?? [],
      defaultBadWordCount: defaults,
      updatedAt: entity?.updatedAt ?? null,
    });
  }
}

@ArgsType()
export class ModerationQueueArgs extends ConnectionArgs {
  @Field(() => ModerationCaseStatusEnum, { defaultValue: ModerationCaseStatusEnum.OPEN })
  status!: ModerationCaseStatusEnum;

  @Field(() => ModerationSeverityEnum, { nullable: true })
  severity?: ModerationSeverityEnum | null;
}

@InputType('ReportContentInput')
export class ReportContentInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => ModerationTargetTypeEnum)
  targetType!: ModerationTargetTypeEnum;

  @Field(() => ID, { description: 'The post, comment or member (user id).' })
  targetId!: string;

  @Field(() => ModerationReportReasonEnum)
  reason!: ModerationReportReasonEnum;

  @Field(() => String, { nullable: true, description: 'At most 1,000 characters.' })
  note?: string | null;
}

@ObjectType('ReportContentPayload')
export class ReportContentPayload {
  @Field(() => ModerationReport)
  report!: ModerationReport;
}

@InputType('ModerateInput')
export class ModerateInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => ModeratorActionEnum)
  action!: ModeratorActionEnum;

  @Field(() => String, { nullable: true, description: 'Recorded in the audit (≤ 1,000 characters).' })
  reason?: string | null;

  @Field(() => Int, { nullable: true, description: 'MUTE: hours, 1–8,760 (default 24).' })
  muteHours?: number | null;
}

@InputType('UndoModerationActionInput')
export class UndoModerationActionInput {
  @Field(() => ID)
  actionId!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@ObjectType('ModerationActionPayload')
export class ModerationActionPayload {
  @Field(() => ModerationAction)
  action!: ModerationAction;

  @Field(() => ModerationCase)
  moderationCase!: ModerationCase;
}

@InputType('UpdateModerationSettingsInput')
export class UpdateModerationSettingsInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => [String], {
    description: 'Replaces the additions (≤ 200 words or phrases, ≤ 60 characters each).',
  })
  badWords!: string[];
}
