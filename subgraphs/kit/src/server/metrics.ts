import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export type ServiceMetrics = {
  registry: Registry;
  middleware: RequestHandler;
  operations: Counter<'operation' | 'outcome'>;
};

/** A Prometheus registry per service (several services may share one process when embedded). */
export function createServiceMetrics(service: string, options: { defaultMetrics: boolean }): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer({ method: req.method });
    // Label by the matched route (bounded), not the raw path: `/graphql` is mounted, so `req.path` is `/`
    // there, and raw paths of unmatched requests would create one series per scanned URL.
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched';
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware, operations };
}
