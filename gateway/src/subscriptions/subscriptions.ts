import type http from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { Logger } from '@edugraph/kit';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import type { SubgraphEndpoint } from '../supergraph/supergraph.js';
import type { TrustedDocuments } from '../trusted-documents/trusted-documents.js';

/**
 * Extension point for GraphQL subscriptions (ARCHITECTURE.md §6; a later issue — nothing is built here).
 *
 * A transport is handed the gateway's HTTP server and attaches a graphql-ws WebSocket server on
 * `path` (`/graphql`, same port). It authenticates `connection_init` with `authenticate` (same
 * rules as HTTP: bearer token or API key), plans each subscription with `gateway`, forwards the
 * subgraph-owned part to the owning subgraph (URLs in `endpoints`) over graphql-ws, and resolves the
 * other fields per event like a query. `startGateway` calls `stop()` on shutdown before HTTP drains.
 */
export type SubscriptionTransport = {
  attach: (options: SubscriptionAttachOptions) => Promise<{ stop: () => Promise<void> }>;
};

export type SubscriptionAttachOptions = {
  httpServer: http.Server;
  path: string;
  gateway: ApolloGateway;
  authenticate: Authenticator;
  endpoints: SubgraphEndpoint[];
  logger: Logger;
  metrics?: SubscriptionMetrics;
  /**
   * Trusted documents: every `subscribe` payload passes the same check as HTTP (a known
   * `extensions.persistedQuery.sha256Hash` runs the manifest body). Absent when the mode is `off`.
   */
  trustedDocuments?: TrustedDocuments;
  /** INTERNAL_API_TOKEN: first-party tooling may present it as `connectionParams['x-internal-token']`. */
  internalToken?: string | undefined;
  /** Rate limits shared with HTTP: per IP on the upgrade, per user / API key on every subscribe. */
  rateLimit?: {
    ip: (request: http.IncomingMessage) => Promise<RateDecision>;
    principal: (principal: Principal) => Promise<RateDecision>;
  };
};

/** Prometheus instruments (gateway-metrics.ts); the shape lets a transport be tested without prom-client. */
export type SubscriptionMetrics = {
  sockets: { inc: () => void; dec: () => void };
  active: { inc: () => void; dec: () => void };
  upstreams: { set: (value: number) => void };
  closes: { inc: (labels: { code: string }) => void };
};

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };
