import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { JSONScalar } from '../../common/scalars.js';

export enum ConfigValueTypeEnum {
  STRING = 'STRING',
  INT = 'INT',
  BOOLEAN = 'BOOLEAN',
  JSON = 'JSON',
}
registerEnumType(ConfigValueTypeEnum, { name: 'ConfigValueType' });

export enum ConfigExposureEnum {
  PUBLIC = 'PUBLIC',
  AUTHENTICATED = 'AUTHENTICATED',
  OPS = 'OPS',
  SECRET = 'SECRET',
}
registerEnumType(ConfigExposureEnum, {
  name: 'ConfigExposure',
  valuesConfig: {
    PUBLIC: { description: 'Anyone, signed in or not (`publicConfig`).' },
    AUTHENTICATED: { description: 'Any signed-in user.' },
    OPS: { description: 'ADMIN and SUPPORT.' },
    SECRET: { description: 'Server code only: ADMIN sees the entry, never its value.' },
  },
});

@ObjectType('ConfigEntry', { description: 'A typed runtime setting.' })
export class ConfigEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  key!: string;

  @Field(() => ConfigValueTypeEnum)
  type!: ConfigValueTypeEnum;

  @Field(() => JSONScalar, { nullable: true, description: 'The value; always null for SECRET entries.' })
  value!: unknown;

  @Field(() => Boolean, { description: 'True when the value is withheld (SECRET).' })
  redacted!: boolean;

  @Field(() => ConfigExposureEnum)
  exposure!: ConfigExposureEnum;

  @Field(() => String)
  description!: string;

  @Field(() => Date)
  updatedAt!: Date;
}

@InputType('SetConfigEntryInput', {
  description:
    'Creates or replaces an entry. `value` is required unless only metadata of an existing entry changes.',
})
export class SetConfigEntryInput {
  @Field(() => String)
  key!: string;

  @Field(() => ConfigValueTypeEnum)
  type!: ConfigValueTypeEnum;

  @Field(() => JSONScalar, { nullable: true })
  value?: unknown;

  @Field(() => ConfigExposureEnum)
  exposure!: ConfigExposureEnum;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType('SetConfigEntryPayload')
export class SetConfigEntryPayload {
  @Field(() => ConfigEntry)
  entry!: ConfigEntry;
}
