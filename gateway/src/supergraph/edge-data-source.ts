import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayContext } from '../gateway-context.js';

/**
 * Calls a subgraph over the private network with only what it needs: the verified access token
 * (for API keys, the one identity issued in exchange), the request id, the client IP and its User-Agent.
 * Nothing else from the client's request is forwarded.
 */
export class EdgeDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]): void {
    const headers = request.http?.headers;
    if (!headers) return;
    // The gateway also calls subgraphs without a client request (e.g. health checks): no context then.
    const principal = context?.principal;
    if (principal && principal.kind !== 'anonymous')
      headers.set('authorization', `Bearer ${principal.accessToken}`);
    if (context?.requestId) headers.set('x-request-id', context.requestId);
    if (context?.clientIp) headers.set('x-client-ip', context.clientIp);
    if (context?.userAgent) headers.set('user-agent', context.userAgent);
  }
}
