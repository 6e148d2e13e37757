// Scheduled (and `npm run rotate-keys`): makes a new signing key current. The previous key stays in
// the JWKS until every token it signed has expired.

import { log } from '../lib/support/log.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = async (): Promise<{ kid: string; nextKid: string; retiredKid: string | undefined }> => {
  const result = await deps.signer.rotate();
  log.info('signing key rotated', result);
  return result;
};
