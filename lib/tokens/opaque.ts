// Opaque secrets (refresh, reset, verification tokens): 256 random bits, and the SHA-256 digest
// that is the only form in which they are stored.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters, 256 bits of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The storage form of a secret. A fast hash is right here: the input has 256 bits of entropy. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
