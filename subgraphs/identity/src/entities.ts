import { ApiKeyEntity } from './modules/api-key/api-key.entity.js';
import { RefreshTokenEntity, SessionEntity } from './modules/session/session.entity.js';
import { SigningKeyEntity } from './modules/signing-key/signing-key.entity.js';
import { RecoveryCodeEntity } from './modules/two-factor/recovery-code.entity.js';
import { UserEntity } from './modules/user/user.entity.js';
import { VerificationCodeEntity } from './modules/verification/verification-code.entity.js';

export const identityEntities = [
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  SigningKeyEntity,
  VerificationCodeEntity,
  ApiKeyEntity,
  RecoveryCodeEntity,
];
