// argon2 hashes, verified with @node-rs/argon2: PHC strings `$argon2id$v=19$m=…,t=…,p=…$salt$hash`
// (and argon2i, argon2d, and the version-less strings of argon2 before 1.3), as this service, argon2-cffi,
// libsodium and most libraries write them; and Django's `argon2$argon2id$…` (`argon2` glued to the
// PHC string, argon2i in Django before 3.2).
import { decodeBase64, wholeNumber } from './hash-encoding.ts';
import { ARGON2_MAX_MEMORY_KIB, ARGON2_MAX_PARALLELISM, ARGON2_MAX_TIME_COST, MAX_SALT_BYTES } from './hash-limits.ts';
import type { RecognisedHash } from './recognised-hash.ts';

const PHC = /^\$(argon2id|argon2i|argon2d)\$(?:v=(16|19)\$)?m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

type Variant = 'argon2id' | 'argon2i' | 'argon2d';

function withinLimits(phc: string): Variant | undefined {
  const match = PHC.exec(phc);
  if (!match) return undefined;
  const [, variant, , m, t, p, salt, digest] = match;
  const [memory, time, lanes] = [wholeNumber(m), wholeNumber(t), wholeNumber(p)];
  if (memory === undefined || time === undefined || lanes === undefined) return undefined;
  if (lanes < 1 || lanes > ARGON2_MAX_PARALLELISM || time < 1 || time > ARGON2_MAX_TIME_COST) return undefined;
  if (memory < 8 * lanes || memory > ARGON2_MAX_MEMORY_KIB) return undefined;
  const saltBytes = decodeBase64(salt!)?.length ?? 0;
  const digestBytes = decodeBase64(digest!)?.length ?? 0;
  if (saltBytes < 8 || saltBytes > MAX_SALT_BYTES || digestBytes < 4 || digestBytes > 128) return undefined;
  return variant as Variant;
}

const verified = (phc: string) => async (password: string) => {
  try {
    // Loaded at the first verification: recognising a hash (hashFormat, an import, an export) needs no native module.
    const { verify } = await import('@node-rs/argon2');
    return await verify(phc, password);
  } catch {
    return false;
  }
};

export function recogniseArgon2(hash: string): RecognisedHash | undefined {
  const own = withinLimits(hash);
  if (own) return { format: own, portable: hash, verify: verified(hash) };
  if (!hash.startsWith('argon2$')) return undefined;
  const phc = hash.slice('argon2'.length);
  const variant = withinLimits(phc);
  // Django's Argon2PasswordHasher makes argon2id (argon2i before 3.2), never argon2d.
  if (!variant || variant === 'argon2d') return undefined;
  return { format: variant === 'argon2id' ? 'django-argon2id' : 'django-argon2i', portable: phc, verify: verified(phc) };
}
