// Rewrites the configuration reference in docs/configuration.md from the schemas in lib/config/
// (`npm run docs:config`); test/unit/config/reference.test.ts fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withReference } from '../lib/config/reference.ts';

const file = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = withReference(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after === before ? 'docs/configuration.md is up to date.\n' : 'docs/configuration.md rewritten.\n');
