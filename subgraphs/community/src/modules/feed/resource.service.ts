import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { assertUuid, isUuid } from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { assertCommunityTier } from './feed-gate.js';
import { ResourceEntity } from './feed.entity.js';

export const RESOURCE_TITLE_MAX = 200;
export const RESOURCE_DESCRIPTION_MAX = 2_000;
export const RESOURCE_FOLDER_MAX = 60;
export const RESOURCE_URL_MAX = 2_000;

export type ResourceFields = {
  title?: string | null;
  description?: string | null;
  assetId?: string | null;
  url?: string | null;
  folder?: string | null;
  requiredTierId?: string | null;
};

function title(value: string): string {
  const t = value.replace(/\s+/g, ' ').trim();
  if (t.length < 1 || t.length > RESOURCE_TITLE_MAX)
    throw new BadUserInputError(`"title" must have 1–${RESOURCE_TITLE_MAX} characters.`, 'title');
  return t;
}

function description(value: string | null | undefined): string {
  const d = (value ?? '').trim();
  if (d.length > RESOURCE_DESCRIPTION_MAX)
    throw new BadUserInputError(
      `"description" has at most ${RESOURCE_DESCRIPTION_MAX} characters.`,
      'description',
    );
  return d;
}

/** A folder (category) name: trimmed, single spaces, 1–60 characters; empty → none. */
function folder(value: string | null | undefined): string | null {
  const f = (value ?? '').replace(/\s+/g, ' ').trim();
  if (f.length === 0) return null;
  if (f.length > RESOURCE_FOLDER_MAX)
    throw new BadUserInputError(`"folder" has at most ${RESOURCE_FOLDER_MAX} characters.`, 'folder');
  return f;
}

/** An absolute `https://` URL with a host, at most 2,000 characters. */
export function httpsUrl(value: string, field = 'url'): string {
  const raw = value.trim();
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (
    !url ||
    url.protocol !== 'https:' ||
    !url.hostname ||
    url.username ||
    url.password ||
    raw.length > RESOURCE_URL_MAX
  )
    throw new BadUserInputError(
      `"${field}" must be an https:// link (at most ${RESOURCE_URL_MAX} characters).`,
      field,
    );
  return url.toString();
}

/**
 * The resource library: media assets or https links with a title, description, folder and an optional
 * paid tier. RESOURCE_MANAGE (moderators and above) creates, edits and deletes; gating needs TIER_MANAGE.
 */
export class ResourceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
  ) {}

  async create(
    viewer: Viewer,
    communityId: string,
    fields: ResourceFields & { title: string },
  ): Promise<ResourceEntity> {
    const now = this.clock.now();
    const target = this.target(fields.assetId, fields.url, true) as {
      assetId: string | null;
      url: string | null;
    };
    const row: ResourceEntity = Object.assign(new ResourceEntity(), {
      id: randomUUID(),
      communityId,
      title: title(fields.title),
      description: description(fields.description),
      ...target,
      folder: folder(fields.folder),
      requiredTierId: fields.requiredTierId ? assertUuid(fields.requiredTierId, 'requiredTierId') : null,
      createdById: viewer.userId,
      createdAt: now,
      updatedAt: now,
    });
    if (!isUuid(communityId)) throw new NotFoundError('Community');
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, 'RESOURCE_MANAGE', { manager });
      if (row.requiredTierId) {
        this.access.assert(context, 'TIER_MANAGE');
        await assertCommunityTier(manager, communityId, row.requiredTierId);
      }
      await manager.getRepository(ResourceEntity).insert(row);
      return row;
    });
  }

  /** Changes the given fields; giving `assetId` or `url` replaces the target (exactly one of them). */
  async update(viewer: Viewer, resourceId: string, fields: ResourceFields): Promise<ResourceEntity> {
    const now = this.clock.now();
    const changes: Partial<ResourceEntity> = {};
    if (fields.title !== undefined && fields.title !== null) changes.title = title(fields.title);
    if (fields.description !== undefined) changes.description = description(fields.description);
    if (fields.folder !== undefined) changes.folder = folder(fields.folder);
    const target = this.target(fields.assetId, fields.url, false);
    if (target) Object.assign(changes, target);
    if (fields.requiredTierId !== undefined)
      changes.requiredTierId = fields.requiredTierId
        ? assertUuid(fields.requiredTierId, 'requiredTierId')
        : null;
    return this.dataSource.transaction(async (manager) => {
      const resource = await this.lock(manager, viewer, resourceId);
      const context = await this.access.require(viewer, resource.communityId, 'RESOURCE_MANAGE', { manager });
      if (changes.requiredTierId !== undefined && changes.requiredTierId !== resource.requiredTierId) {
        this.access.assert(context, 'TIER_MANAGE');
        if (changes.requiredTierId)
          await assertCommunityTier(manager, resource.communityId, changes.requiredTierId);
      }
      Object.assign(resource, changes, { updatedAt: now });
      await manager.getRepository(ResourceEntity).save(resource);
      return resource;
    });
  }

  async delete(viewer: Viewer, resourceId: string): Promise<ResourceEntity> {
    return this.dataSource.transaction(async (manager) => {
      const resource = await this.lock(manager, viewer, resourceId);
      await this.access.require(viewer, resource.communityId, 'RESOURCE_MANAGE', { manager });
      await manager.getRepository(ResourceEntity).delete({ id: resource.id });
      return resource;
    });
  }

  /** NOT_FOUND when missing or when the viewer cannot read the community. */
  private async lock(manager: EntityManager, viewer: Viewer, resourceId: string): Promise<ResourceEntity> {
    if (!isUuid(resourceId)) throw new NotFoundError('Resource');
    const resource = await manager
      .getRepository(ResourceEntity)
      .createQueryBuilder('r')
      .where('r.id = :resourceId', { resourceId })
      .setLock('pessimistic_write')
      .getOne();
    if (!resource) throw new NotFoundError('Resource');
    const context = await this.access.resolve(viewer, resource.communityId, { manager, includeHidden: true });
    if (!context.canRead) throw new NotFoundError('Resource');
    return resource;
  }

  private target(
    assetId: string | null | undefined,
    url: string | null | undefined,
    required: boolean,
  ): { assetId: string | null; url: string | null } | null {
    const hasAsset = assetId !== undefined && assetId !== null;
    const hasUrl = url !== undefined && url !== null;
    if (!hasAsset && !hasUrl && !required) return null;
    if (hasAsset === hasUrl)
      throw new BadUserInputError(
        'A resource is exactly one of a media asset (assetId) and a link (url).',
        'url',
      );
    return hasAsset
      ? { assetId: assertUuid(assetId, 'assetId'), url: null }
      : { assetId: null, url: httpsUrl(url as string) };
  }
}
