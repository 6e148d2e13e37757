// Where `npm start` keeps its state (.data/, git-ignored), shared with the admin scripts that talk
// to the same local stack.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));
export const LOCAL_TABLE_NAME = 'auth-service-local';
const SECRET_FILE = join(DATA_DIR, 'key-encryption-secret');

/**
 * The secret that encrypts the signing keys stored in DynamoDB. It must survive restarts, or the
 * keys already in .data/dynamodb could no longer be read; so it is made once and kept beside them.
 */
export function keyEncryptionSecret(): string {
  const fromEnv = process.env.KEY_ENCRYPTION_SECRET?.trim();
  if (fromEnv) return fromEnv;
  try {
    return readFileSync(SECRET_FILE, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(SECRET_FILE, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
