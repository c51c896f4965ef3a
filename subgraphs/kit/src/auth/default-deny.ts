import { type GraphQLSchema, isObjectType } from 'graphql';
import { ACCESS_EXTENSION } from './access.decorators.js';

/**
 * Default deny, checked when the schema is built: every root field must declare who may call it
 * with @Public(), @Authenticated() or @Roles(...). A subgraph with an undeclared root field does not start.
 */
export function assertEveryRootFieldDeclaresAccess(schema: GraphQLSchema): void {
  const undeclared: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root || !isObjectType(root)) continue;
    for (const field of Object.values(root.getFields())) {
      if (!field.extensions?.[ACCESS_EXTENSION]) undeclared.push(`${root.name}.${field.name}`);
    }
  }
  if (undeclared.length > 0) {
    throw new Error(
      `Root fields without an access rule (add @Public(), @Authenticated() or @Roles()): ${undeclared.join(', ')}`,
    );
  }
}
