// Which password hash formats a stored hash may have (our argon2id, and what imports bring from
// other systems), and their portable form for an export. docs/migration.md lists them; each
// family is in its own file, verified through a maintained library where one exists.

import { recogniseFirebaseScrypt } from './firebase-scrypt.ts';
import { recogniseArgon2 } from './foreign-argon2.ts';
import { recogniseBcrypt } from './foreign-bcrypt.ts';
import { recognisePbkdf2 } from './foreign-pbkdf2.ts';
import { recogniseScrypt } from './foreign-scrypt.ts';
import { MAX_HASH_LENGTH } from './hash-limits.ts';
import type { HashFormat, HashRecogniser, RecognisedHash } from './recognised-hash.ts';

export { type FirebaseScryptParams, firebaseScryptHash } from './firebase-scrypt.ts';
export { HASH_FORMATS, type HashFormat } from './recognised-hash.ts';

const RECOGNISERS: HashRecogniser[] = [recogniseArgon2, recogniseBcrypt, recognisePbkdf2, recogniseScrypt, recogniseFirebaseScrypt];

/** The hash's format and verifier, or undefined: not a hash we can verify (unknown, corrupt, beyond ./hash-limits.ts, or unusable). */
export function recogniseHash(hash: unknown): RecognisedHash | undefined {
  if (typeof hash !== 'string' || hash.length > MAX_HASH_LENGTH || hash.startsWith('!')) return undefined;
  for (const recognise of RECOGNISERS) {
    const found = recognise(hash);
    if (found) return found;
  }
  return undefined;
}

/**
 * `argon2id` for our own hashes (and any PHC argon2id), else the foreign format's name
 * (`bcrypt`, `django-pbkdf2-sha256`, … see HASH_FORMATS); undefined: not a hash we can verify.
 */
export function hashFormat(hash: string): HashFormat | undefined {
  return recogniseHash(hash)?.format;
}

/**
 * The form an export writes: PHC or modular crypt where the format has one (Django's and
 * passlib's PBKDF2 become `$pbkdf2-sha256$i=…`, Django's argon2 and bcrypt lose their prefix), the
 * stored string where none exists (Django's bcrypt_sha256, Firebase scrypt), null for an unusable
 * password. A string we do not recognise is returned as it is (the importing side will say so).
 */
export function portableHash(hash: string): string | null {
  if (hash.startsWith('!')) return null;
  return recogniseHash(hash)?.portable ?? hash;
}
