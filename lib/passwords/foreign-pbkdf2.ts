// PBKDF2-HMAC hashes, verified with node:crypto's pbkdf2 (OpenSSL). Three spellings:
//   PHC      `$pbkdf2-sha256$i=<iterations>[,l=<key bytes>]$<salt B64>$<key B64>` (B64: standard
//            alphabet, no padding; also -sha1 and -sha512). The portable form of all three.
//   passlib  `$pbkdf2-sha256$<iterations>$<salt ab64>$<key ab64>` (adapted base64: `.` for `+`);
//            passlib spells SHA-1 `$pbkdf2$`.
//   Django   `pbkdf2_sha256$<iterations>$<salt>$<key base64>`, the salt a string used as its UTF-8
//            bytes (also pbkdf2_sha1).
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeAdaptedBase64, decodeBase64, encodePhcBase64, sameBytes, wholeNumber } from './hash-encoding.ts';
import { MAX_SALT_BYTES, PBKDF2_MAX_ITERATIONS, PBKDF2_MAX_KEY_BYTES, PBKDF2_MIN_KEY_BYTES } from './hash-limits.ts';
import type { HashFormat, RecognisedHash } from './recognised-hash.ts';

const derive = promisify(pbkdf2);

type Digest = 'sha1' | 'sha256' | 'sha512';

interface Pbkdf2Hash {
  digest: Digest;
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

const DIGESTS: Record<string, Digest> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

/** The PHC form, which every spelling exports as. */
export function pbkdf2Phc({ digest, iterations, salt, key }: Pbkdf2Hash): string {
  return `$pbkdf2-${digest}$i=${iterations},l=${key.length}$${encodePhcBase64(salt)}$${encodePhcBase64(key)}`;
}

function checked(parts: Partial<Pbkdf2Hash>): Pbkdf2Hash | undefined {
  const { digest, iterations, salt, key } = parts;
  if (!digest || iterations === undefined || !salt || !key) return undefined;
  if (iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return undefined;
  if (salt.length > MAX_SALT_BYTES * 2 || key.length < PBKDF2_MIN_KEY_BYTES || key.length > PBKDF2_MAX_KEY_BYTES) return undefined;
  return { digest, iterations, salt, key };
}

function parse(hash: string): { format: HashFormat; parsed: Pbkdf2Hash } | undefined {
  const django = /^pbkdf2_(sha1|sha256)\$(\d+)\$([^$]{1,128})\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (django) {
    const [, digest, iterations, salt, key] = django;
    const parsed = checked({ digest: DIGESTS[digest!], iterations: wholeNumber(iterations), salt: Buffer.from(salt!, 'utf8'), key: decodeBase64(key!) });
    return parsed && { format: `django-pbkdf2-${parsed.digest}` as HashFormat, parsed };
  }
  const phc = /^\$pbkdf2-(sha1|sha256|sha512)\$i=(\d+)(?:,l=(\d+))?\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
  if (phc) {
    const [, digest, iterations, length, salt, key] = phc;
    const parsed = checked({ digest: DIGESTS[digest!], iterations: wholeNumber(iterations), salt: decodeBase64(salt!), key: decodeBase64(key!) });
    if (length !== undefined && wholeNumber(length) !== parsed?.key.length) return undefined;
    return parsed && { format: `pbkdf2-${parsed.digest}` as HashFormat, parsed };
  }
  const passlib = /^\$pbkdf2(?:-(sha256|sha512))?\$(\d+)\$([A-Za-z0-9./]+)\$([A-Za-z0-9./]+)$/.exec(hash);
  if (passlib) {
    const [, digest = 'sha1', iterations, salt, key] = passlib;
    const parsed = checked({ digest: DIGESTS[digest], iterations: wholeNumber(iterations), salt: decodeAdaptedBase64(salt!), key: decodeAdaptedBase64(key!) });
    return parsed && { format: `passlib-pbkdf2-${parsed.digest}` as HashFormat, parsed };
  }
  return undefined;
}

export function recognisePbkdf2(hash: string): RecognisedHash | undefined {
  const found = parse(hash);
  if (!found) return undefined;
  const { format, parsed } = found;
  return {
    format,
    portable: format.startsWith('pbkdf2-') ? hash : pbkdf2Phc(parsed),
    verify: async (password) => {
      try {
        return sameBytes(await derive(password, parsed.salt, parsed.iterations, parsed.key.length, parsed.digest), parsed.key);
      } catch {
        return false;
      }
    },
  };
}
