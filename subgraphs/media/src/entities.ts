import { AssetEntity } from './modules/asset/asset.entity.js';
import { RenditionEntity } from './modules/rendition/rendition.entity.js';

export const mediaEntities = [AssetEntity, RenditionEntity];
