import type { ReferenceResolver } from '@edugraph/kit';
import { userByIdLoader } from './user.loaders.js';
import { toUser } from './user.type.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Federation `User` references resolve through the per-request DataLoader. */
export const userReference: ReferenceResolver = {
  __resolveReference: async (reference, context) => {
    if (!UUID.test(reference.id)) return null;
    const entity = await context.loaders.get(userByIdLoader).load(reference.id);
    return entity ? toUser(entity) : null;
  },
};
