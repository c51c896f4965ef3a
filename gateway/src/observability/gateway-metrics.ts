import type { ApolloServerPlugin } from '@apollo/server';
import { createServiceMetrics, type ServiceMetrics } from '@edugraph/kit';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { GatewayContext } from '../gateway-context.js';

export type GatewayMetrics = ServiceMetrics & {
  rejections: Counter<'reason'>;
  requestErrors: Counter<'code'>;
  operationCost: Histogram<'principal'>;
  /** Open subscription sockets, active client subscriptions and shared upstream streams. */
  subscriptionSockets: Gauge;
  subscriptionsActive: Gauge;
  subscriptionUpstreams: Gauge;
  /** Subscription sockets closed, by close code (1013 = slow consumer, 4403 = token expired or refused…). */
  subscriptionCloses: Counter<'code'>;
};

/** Kit's per-service registry (HTTP durations, operations) plus the edge's own counters. */
export function createGatewayMetrics(options: { processMetrics: boolean }): GatewayMetrics {
  const base = createServiceMetrics('gateway', { defaultMetrics: options.processMetrics });
  return {
    ...base,
    subscriptionSockets: new Gauge({
      name: 'gateway_subscription_sockets',
      help: 'Open graphql-ws sockets',
      registers: [base.registry],
    }),
    subscriptionsActive: new Gauge({
      name: 'gateway_subscriptions_active',
      help: 'Active client subscriptions',
      registers: [base.registry],
    }),
    subscriptionUpstreams: new Gauge({
      name: 'gateway_subscription_upstreams',
      help: 'Shared upstream subscriptions to subgraphs',
      registers: [base.registry],
    }),
    subscriptionCloses: new Counter({
      name: 'gateway_subscription_closes_total',
      help: 'graphql-ws sockets closed, by close code',
      labelNames: ['code'] as const,
      registers: [base.registry],
    }),
    rejections: new Counter({
      name: 'gateway_rejections_total',
      help: 'Requests refused at the edge before GraphQL execution, by reason',
      labelNames: ['reason'] as const,
      registers: [base.registry],
    }),
    requestErrors: new Counter({
      name: 'gateway_request_errors_total',
      help: 'GraphQL request errors (no data) by extensions.code',
      labelNames: ['code'] as const,
      registers: [base.registry],
    }),
    operationCost: new Histogram({
      name: 'gateway_operation_cost',
      help: 'Computed cost of accepted and rejected operations',
      labelNames: ['principal'] as const,
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers: [base.registry],
    }),
  };
}

/** Counts operations and request errors, and logs each operation with its request id. */
export function observabilityPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, response, errors }) {
          const failed = (errors?.length ?? 0) > 0;
          metrics.operations.inc({
            operation: operationName ?? 'anonymous',
            outcome: failed ? 'error' : 'ok',
          });
          if (response.body.kind === 'single' && response.body.singleResult.data === undefined) {
            for (const error of response.body.singleResult.errors ?? []) {
              metrics.requestErrors.inc({ code: String(error.extensions?.['code'] ?? 'UNKNOWN') });
            }
          }
          contextValue.logger.info(
            {
              operationName,
              principal: contextValue.principal.kind,
              status: response.http.status ?? 200,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
              errorCodes: errors?.map(
                (e) => (e as { extensions?: Record<string, unknown> }).extensions?.['code'],
              ),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
