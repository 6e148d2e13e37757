// Where `npm start` keeps its state (.data/, git-ignored), shared with the admin scripts that talk
// to the same local stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));
export const LOCAL_TABLE_NAME = 'auth-service-local';
/** The local KMS endpoint's key that wraps the signing keys' data keys (scripts/local-kms/). */
export const LOCAL_KMS_ALIAS = 'alias/auth-service-local';
const LEGACY_SECRET_FILE = join(DATA_DIR, 'key-encryption-secret');

/**
 * The KEY_ENCRYPTION_SECRET an older `npm start` generated into .data/, for `keys migrate` of a
 * local table made before KMS; undefined when there is none. Nothing else reads it.
 */
export function legacyKeyEncryptionSecret(): string | undefined {
  const fromEnv = process.env.KEY_ENCRYPTION_SECRET?.trim();
  if (fromEnv) return fromEnv;
  try {
    return readFileSync(LEGACY_SECRET_FILE, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}
