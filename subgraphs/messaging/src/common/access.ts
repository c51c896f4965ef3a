import { hasRole, type Viewer } from '@edugraph/kit';
import type { ConversationRole } from '../modules/conversation/conversation.entity.js';

/** Platform MODERATOR or ADMIN: may moderate any conversation. */
export function isPlatformModerator(viewer: Viewer | null): boolean {
  return hasRole(viewer, 'MODERATOR') || hasRole(viewer, 'ADMIN');
}

/** Conversation OWNER/MODERATOR, or a platform moderator. */
export function canModerate(role: ConversationRole | null | undefined, viewer: Viewer | null): boolean {
  return role === 'OWNER' || role === 'MODERATOR' || isPlatformModerator(viewer);
}
