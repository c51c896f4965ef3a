import { PlatformInit1764300000000 } from './1764300000000-platform-init.js';
import { PlatformDefaults1764300001000 } from './1764300001000-platform-defaults.js';

export { PLATFORM_CONFIG_DEFAULTS, PLATFORM_RETENTION_DEFAULTS } from './1764300001000-platform-defaults.js';

export const platformMigrations = [PlatformInit1764300000000, PlatformDefaults1764300001000];
