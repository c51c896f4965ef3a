import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum PresenceStatusEnum {
  ONLINE = 'ONLINE',
  AWAY = 'AWAY',
  OFFLINE = 'OFFLINE',
}
registerEnumType(PresenceStatusEnum, { name: 'PresenceStatus' });

@ObjectType('Presence')
export class Presence {
  @Field(() => ID)
  userId!: string;

  @Field(() => PresenceStatusEnum)
  status!: PresenceStatusEnum;

  @Field(() => Date, { nullable: true, description: 'Time of the last heartbeat (null when offline).' })
  lastSeenAt!: Date | null;

  static from(payload: { userId: string; status: string; lastSeenAt: string | null }): Presence {
    return Object.assign(new Presence(), {
      userId: payload.userId,
      status: payload.status as PresenceStatusEnum,
      lastSeenAt: payload.lastSeenAt ? new Date(payload.lastSeenAt) : null,
    });
  }
}

@InputType('HeartbeatInput')
export class HeartbeatInput {
  @Field(() => PresenceStatusEnum, {
    defaultValue: PresenceStatusEnum.ONLINE,
    description: 'ONLINE or AWAY (kept 5 minutes), or OFFLINE to sign off now.',
  })
  status!: PresenceStatusEnum;
}
