import { UnauthenticatedError, type RequestContext, type Viewer } from '@edugraph/kit';
import type { ContainerType } from 'type-graphql';
import type { CommunityServices } from '../community-services.js';

/** Base of every resolver: type-graphql builds it through `ServicesContainer` with this schema's services. */
export abstract class ServicesResolver {
  constructor(private readonly bound: CommunityServices | null) {}

  protected get services(): CommunityServices {
    if (!this.bound) throw new Error('Community services are not bound (schema built for composition only).');
    return this.bound;
  }
}

/** Resolver instances for one schema, constructed with its services (several schemas may live in one process). */
export class ServicesContainer implements ContainerType {
  private readonly instances = new Map<unknown, unknown>();

  constructor(private readonly services: CommunityServices | null) {}

  get(someClass: new (services: CommunityServices | null) => unknown): unknown {
    let instance = this.instances.get(someClass);
    if (!instance) {
      instance = new someClass(this.services);
      this.instances.set(someClass, instance);
    }
    return instance;
  }
}

/** The signed-in viewer (root fields are @Authenticated; this narrows the type). */
export function viewerOf(ctx: RequestContext): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}
