import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@edugraph/kit';
import { UserEntity } from './user.entity.js';

/** Loads a user with `SELECT … FOR UPDATE` in the caller's transaction (`NOT_FOUND` when there is none). */
export async function lockUserForUpdate(manager: EntityManager, userId: string): Promise<UserEntity> {
  const user = await manager
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .setLock('pessimistic_write')
    .where('u.id = :userId', { userId })
    .getOne();
  if (!user) throw new NotFoundError('User');
  return user;
}
