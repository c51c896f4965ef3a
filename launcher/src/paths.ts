import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (this file lives in launcher/src or launcher/dist). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
