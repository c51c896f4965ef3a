/** Platform roles (DOMAIN.md). A user can hold several. */
export const PLATFORM_ROLES = ['LEARNER', 'INSTRUCTOR', 'MODERATOR', 'SUPPORT', 'FINANCE', 'ADMIN'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Who is calling, as proven by a verified access token. */
export type Viewer = {
  userId: string;
  /** Session id (`sid`), absent for API-key principals. */
  sessionId: string | null;
  roles: readonly PlatformRole[];
  /** Scopes granted to an API key; empty for first-party user sessions. */
  scopes: readonly string[];
  /** Set when the principal is a third-party API key. */
  apiKeyId: string | null;
  /** Access token expiry (unix seconds). */
  expiresAt: number;
};

export function hasRole(viewer: Viewer | null, role: PlatformRole): boolean {
  return viewer !== null && viewer.roles.includes(role);
}
