import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import { accessViewer, type RequestContext } from '../context/request-context.js';

/** type-graphql auth checker: no viewer → UNAUTHENTICATED; missing role → FORBIDDEN. */
export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) => {
  const viewer = accessViewer(context);
  if (!viewer) throw new UnauthenticatedError();
  if (roles.length > 0 && !roles.some((role) => viewer.roles.includes(role as never))) {
    throw new ForbiddenError(`This requires one of the roles: ${roles.join(', ')}.`);
  }
  return true;
};
