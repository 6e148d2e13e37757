// scrypt hashes in the PHC string format as passlib (and Go's, Zig's and Rust's password-hash
// libraries) write them, `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt B64>$<key B64>`, verified with
// node:crypto's scrypt. The PHC format names no scrypt parameters of its own; these are the
// ones every implementation uses.

import { decodeBase64, sameBytes, wholeNumber } from './hash-encoding.ts';
import { MAX_SALT_BYTES, PBKDF2_MAX_KEY_BYTES, PBKDF2_MIN_KEY_BYTES } from './hash-limits.ts';
import type { RecognisedHash } from './recognised-hash.ts';
import { scryptCostAllowed, scryptKey } from './scrypt-work.ts';

const PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function recogniseScrypt(hash: string): RecognisedHash | undefined {
  const match = PHC.exec(hash);
  if (!match) return undefined;
  const [, ln, r, p, saltText, keyText] = match;
  const cost = { ln: wholeNumber(ln) ?? 0, r: wholeNumber(r) ?? 0, p: wholeNumber(p) ?? 0 };
  const [salt, key] = [decodeBase64(saltText!), decodeBase64(keyText!)];
  if (!scryptCostAllowed(cost) || !salt || !key || salt.length > MAX_SALT_BYTES) return undefined;
  if (key.length < PBKDF2_MIN_KEY_BYTES || key.length > PBKDF2_MAX_KEY_BYTES) return undefined;
  return {
    format: 'scrypt',
    portable: hash,
    verify: async (password) => {
      try {
        return sameBytes(await scryptKey(password, salt, key.length, cost), key);
      } catch {
        return false;
      }
    },
  };
}
