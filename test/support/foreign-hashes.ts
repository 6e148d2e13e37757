// Password hashes made by other ecosystems' own libraries (test/support/python/foreign-hashes.py:
// Django, passlib, argon2-cffi, hashlib + cryptography for Firebase) and by @node-rs/bcrypt, each
// with the password it was made from; the Firebase ones packed with firebaseScryptHash().
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { firebaseScryptHash } from '../../lib/passwords/foreign-hashes.ts';

export interface ForeignHash {
  source: string;
  password: string;
  hash: string;
}

interface MadeHash {
  source: string;
  password: string;
  hash: string | { firebase: { signerKey: string; saltSeparator: string; rounds: number; memCost: number; salt: string; hash: string } };
}

const SCRIPT = fileURLToPath(new URL('./python/foreign-hashes.py', import.meta.url));

/**
 * Runs Debian's python3 with its Django, passlib, argon2-cffi, bcrypt and cryptography (fails loudly
 * if they are missing). `defaultCosts: false` leaves out the hashes made at a library's production
 * cost (Django's PBKDF2 default, hundreds of thousands of iterations): the unit tests check them
 * once; the integration tests, which log in with every hash, need only the cheap ones.
 */
export async function foreignHashes({ defaultCosts = true }: { defaultCosts?: boolean } = {}): Promise<ForeignHash[]> {
  const made = JSON.parse(execFileSync('/usr/bin/python3', [SCRIPT], { encoding: 'utf8', timeout: 60_000 })) as MadeHash[];
  const fromPython = made.map(({ source, password, hash }) => ({
    source,
    password,
    hash: typeof hash === 'string' ? hash : firebaseScryptHash(hash.firebase, hash.firebase.hash, hash.firebase.salt),
  }));
  const fromNode = await Promise.all(
    ['correct horse battery staple', 'pässwörd ✓ 密码 😀'].map(async (password) => ({
      source: '@node-rs/bcrypt',
      password,
      hash: await bcryptHash(password, 4),
    })),
  );
  // Argon2 before version 1.3 wrote no `v=` (version 0x10 is meant): the v=16 hashes without it.
  const versionless = fromPython
    .filter((one) => one.source === 'argon2-cffi argon2i v=16')
    .map((one) => ({ ...one, source: 'argon2 before 1.3 (no version)', hash: one.hash.replace('$v=16$', '$') }));
  const all = [...fromPython, ...versionless, ...fromNode];
  return defaultCosts ? all : all.filter((one) => !one.source.includes('(default cost)'));
}

/** The format hashFormat() must name for each source. */
export const EXPECTED_FORMAT: Record<string, string> = {
  'django pbkdf2_sha256': 'django-pbkdf2-sha256',
  'django pbkdf2_sha256 (default cost)': 'django-pbkdf2-sha256',
  'django pbkdf2_sha1': 'django-pbkdf2-sha1',
  'django bcrypt_sha256': 'django-bcrypt-sha256',
  'django bcrypt': 'django-bcrypt',
  'django argon2': 'django-argon2id',
  'django argon2i (before 3.2)': 'django-argon2i',
  'passlib pbkdf2_sha256': 'passlib-pbkdf2-sha256',
  'passlib pbkdf2_sha512': 'passlib-pbkdf2-sha512',
  'passlib pbkdf2_sha1': 'passlib-pbkdf2-sha1',
  'passlib scrypt': 'scrypt',
  'passlib scrypt p=2': 'scrypt',
  'passlib bcrypt_sha256 v2': 'passlib-bcrypt-sha256',
  'passlib bcrypt_sha256 v1': 'passlib-bcrypt-sha256',
  'passlib bcrypt 2y': 'bcrypt',
  'passlib bcrypt 2a': 'bcrypt',
  'passlib bcrypt 2b': 'bcrypt',
  'argon2-cffi argon2id': 'argon2id',
  'argon2-cffi argon2id t=3': 'argon2id',
  'argon2-cffi argon2d': 'argon2d',
  'argon2-cffi argon2i': 'argon2i',
  'argon2-cffi argon2i v=16': 'argon2i',
  'argon2 before 1.3 (no version)': 'argon2i',
  'hashlib pbkdf2 sha256 (PHC)': 'pbkdf2-sha256',
  'hashlib pbkdf2 sha512 (PHC)': 'pbkdf2-sha512',
  'hashlib scrypt + AES-CTR (Firebase)': 'firebase-scrypt',
  '@node-rs/bcrypt': 'bcrypt',
};

/** One hash of each source (the last password made for it): what a test that logs in with each needs. */
export const oneOfEachSource = (made: ForeignHash[]): ForeignHash[] => [...new Map(made.map((one) => [one.source, one])).values()];
