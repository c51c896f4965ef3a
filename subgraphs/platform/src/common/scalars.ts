import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';

/** Any JSON value (config values). */
export const JSONScalar = GraphQLJSON;
/** A JSON object (audit metadata). */
export const JSONObjectScalar = GraphQLJSONObject;
