import { CommerceInit1764700000000 } from './1764700000000-commerce-init.js';

export const commerceMigrations = [CommerceInit1764700000000];
