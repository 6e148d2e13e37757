// bcrypt hashes, verified with bcryptjs (pure JavaScript, maintained): modular crypt `$2a$`, `$2b$`,
// `$2y$` (PHP's name for 2b), Django's `bcrypt$<mcf>` (the raw password) and
// `bcrypt_sha256$<mcf>` (bcrypt of the lowercase hex SHA-256 of the UTF-8 password, so long
// passwords are not cut at bcrypt's 72 bytes; the same in Django 1.x to 5.x), and passlib's
// `$bcrypt-sha256$` (passlib.hash.bcrypt_sha256): version 1 `$bcrypt-sha256$2b,12$<salt>$<digest>`
// pre-hashes with base64(SHA-256(password)), version 2 (passlib 1.7.3+)
// `$bcrypt-sha256$v=2,t=2b,r=12$<salt>$<digest>` with base64(HMAC-SHA256(key = the 22-character
// salt string, password)), each then bcrypt with that salt and cost.
import { createHash, createHmac } from 'node:crypto';
import { BCRYPT_MAX_COST, BCRYPT_MIN_COST } from './hash-limits.ts';
import type { HashFormat, RecognisedHash } from './recognised-hash.ts';

const MODULAR_CRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

function withinLimits(mcf: string): boolean {
  const cost = MODULAR_CRYPT.exec(mcf)?.[1];
  return cost !== undefined && Number(cost) >= BCRYPT_MIN_COST && Number(cost) <= BCRYPT_MAX_COST;
}

function recognised(format: HashFormat, mcf: string, portable: string, prepare: (password: string) => string): RecognisedHash {
  return {
    format,
    portable,
    verify: async (password) => {
      try {
        // Loaded at the first bcrypt login, not at cold start: most logins never meet an imported hash.
        const { default: bcrypt } = await import('bcryptjs');
        return await bcrypt.compare(prepare(password), mcf);
      } catch {
        return false;
      }
    },
  };
}

const sha256Hex = (password: string): string => createHash('sha256').update(password, 'utf8').digest('hex');

const PASSLIB_SHA256 = /^\$bcrypt-sha256\$(?:v=2,t=(2a|2b),r=(\d\d?)|(2a|2b),(\d\d?))\$([./A-Za-z0-9]{22})\$([./A-Za-z0-9]{31})$/;

/** passlib's bcrypt_sha256 (both versions) as the bcrypt it wraps, with its pre-hash. */
function recognisePasslibSha256(hash: string): RecognisedHash | undefined {
  const match = PASSLIB_SHA256.exec(hash);
  if (!match) return undefined;
  const [, v2Ident, v2Cost, v1Ident, v1Cost, salt, digest] = match;
  const mcf = `$${v2Ident ?? v1Ident}$${(v2Cost ?? v1Cost)!.padStart(2, '0')}$${salt}${digest}`;
  if (!withinLimits(mcf)) return undefined;
  const prehash = v2Ident
    ? (password: string) => createHmac('sha256', salt!).update(password, 'utf8').digest('base64')
    : (password: string) => createHash('sha256').update(password, 'utf8').digest('base64');
  // No PHC or modular-crypt form has this pre-hash: the export keeps passlib's string.
  return recognised('passlib-bcrypt-sha256', mcf, hash, prehash);
}

export function recogniseBcrypt(hash: string): RecognisedHash | undefined {
  if (withinLimits(hash)) return recognised('bcrypt', hash, hash, (password) => password);
  if (hash.startsWith('bcrypt$')) {
    const mcf = hash.slice('bcrypt$'.length);
    // Django's plain bcrypt is bcrypt itself: its portable form drops the prefix.
    return withinLimits(mcf) ? recognised('django-bcrypt', mcf, mcf, (password) => password) : undefined;
  }
  if (hash.startsWith('bcrypt_sha256$')) {
    const mcf = hash.slice('bcrypt_sha256$'.length);
    // No PHC or modular-crypt form has this pre-hash: the export keeps Django's string.
    return withinLimits(mcf) ? recognised('django-bcrypt-sha256', mcf, hash, sha256Hex) : undefined;
  }
  return recognisePasslibSha256(hash);
}
