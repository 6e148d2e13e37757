// Rotating the signing keys from the admin CLI: the signer's own rotation (as scripts/rotate-keys.ts
// and the scheduled rotateKeys function do), after proving that KEY_ENCRYPTION_SECRET is the one the
// stored keys were encrypted with. Without that check a wrong secret would stage a next key that the
// service could not decrypt, and signing would break at the following rotation.

import { signingKeyStore } from '../store/signing-keys.ts';
import { decryptPrivateKey } from '../tokens/key-encryption.ts';
import type { RotationResult } from '../tokens/signer.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { AdminError } from './errors.ts';

export type { RotationResult } from '../tokens/signer.ts';

export async function rotateSigningKeys(deps: Pick<Dependencies, 'db' | 'config' | 'signer'>): Promise<RotationResult> {
  const set = await signingKeyStore(deps.db, deps.config.tableName).load();
  for (const key of set.keys.filter((k) => k.kid === set.currentKid || k.kid === set.nextKid)) {
    try {
      decryptPrivateKey(key.encryptedPrivateJwk, key.kid, deps.config.keyEncryptionSecret);
    } catch {
      throw new AdminError(
        `KEY_ENCRYPTION_SECRET does not decrypt the stored signing key ${key.kid}: it is not the secret this ` +
          `table's keys were made with. Nothing was changed.`,
      );
    }
  }
  return deps.signer.rotate();
}
