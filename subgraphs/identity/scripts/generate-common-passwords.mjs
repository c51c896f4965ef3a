// Derives the bundled list of the 10,000 most common passwords from @zxcvbn-ts/language-common's
// frequency-ordered password dictionary. Run: npm run generate:common-passwords -w @edugraph/identity
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const source = require('@zxcvbn-ts/language-common/dist/passwords.json.cjs');
const list = Array.isArray(source) ? source : source.default;
const seen = new Set();
for (const entry of list) {
  const value = String(entry).toLowerCase();
  if (!seen.has(value)) seen.add(value);
  if (seen.size === 10_000) break;
}
const target = fileURLToPath(new URL('../src/modules/auth/common-passwords.data.json', import.meta.url));
writeFileSync(target, `${JSON.stringify([...seen], null, 2)}\n`);
console.log(`wrote ${seen.size} passwords to ${target}`);
