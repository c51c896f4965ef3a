import type { Logger } from '@edugraph/kit';
import type { Principal } from './auth/principal.js';

/** What the gateway knows about a request; subgraphs build their own context from the forwarded headers. */
export type GatewayContext = {
  requestId: string;
  clientIp: string;
  principal: Principal;
  /** The browser's or app's User-Agent (≤ 512 characters), forwarded so identity can label sessions. */
  userAgent?: string | undefined;
  logger: Logger;
};
