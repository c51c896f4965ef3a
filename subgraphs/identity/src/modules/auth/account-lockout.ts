import type { DataSource } from 'typeorm';
import type { Clock } from '../../shared/clock.js';
import { lockUserForUpdate } from '../user/user-lock.js';
import { UserEntity } from '../user/user.entity.js';
import { afterFailure, type LockoutState } from './lockout.js';

export function lockoutOf(user: UserEntity): LockoutState {
  return { failedCount: user.failedSignInCount, lockCount: user.lockCount, lockedUntil: user.lockedUntil };
}

/**
 * The lockout counters of real accounts (unknown emails: `GhostLockout`). Every wrong proof of the
 * password or the second factor counts: sign-in (password or TOTP code) and `changePassword`.
 */
export class AccountLockout {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** One more consecutive failure, under the user's row lock; returns the new state. */
  async recordFailure(userId: string): Promise<LockoutState> {
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      const next = afterFailure(lockoutOf(user), this.clock.now());
      await manager.update(
        UserEntity,
        { id: userId },
        {
          failedSignInCount: next.failedCount,
          lockCount: next.lockCount,
          lockedUntil: next.lockedUntil,
          updatedAt: this.clock.now(),
        },
      );
      return next;
    });
  }
}
