// Regenerates the endpoint table of docs/endpoints.md from the route table (npm run docs:endpoints).
import { readFileSync, writeFileSync } from 'node:fs';
import { withEndpointReference } from '../lib/openapi/endpoint-reference.ts';

const path = new URL('../docs/endpoints.md', import.meta.url);
writeFileSync(path, withEndpointReference(readFileSync(path, 'utf8')));
process.stdout.write('docs/endpoints.md: endpoint table regenerated from lib/routes/.\n');
