import { MediaInit1764600000000 } from './1764600000000-media-init.js';

export const mediaMigrations = [MediaInit1764600000000];
