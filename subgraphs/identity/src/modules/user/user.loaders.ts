import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { byKey } from '@edugraph/kit';
import { identity } from '../../services.js';
import { UserEntity } from './user.entity.js';

/** Users by id, one query per request batch. */
export const userByIdLoader = (): DataLoader<string, UserEntity | null> =>
  new DataLoader(async (ids) => {
    const rows = await identity()
      .dataSource.getRepository(UserEntity)
      .findBy({ id: In([...ids]) });
    return byKey(ids, rows, (r) => r.id);
  });
