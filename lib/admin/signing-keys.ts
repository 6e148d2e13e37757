// Rotating the signing keys from the admin CLI: the signer's own rotation (as scripts/rotate-keys.ts
// and the scheduled rotateKeys function do). The signer first proves that it can open the current
// and next keys through KMS, and changes nothing if it cannot.

import type { RotationResult } from '../tokens/signer.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';

export type { RotationResult } from '../tokens/signer.ts';

export async function rotateSigningKeys(deps: Pick<Dependencies, 'signer'>): Promise<RotationResult> {
  return deps.signer.rotate();
}
