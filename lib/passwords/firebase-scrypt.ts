// Firebase Authentication's modified scrypt (github.com/firebase/scrypt), hand-written because no
// maintained JavaScript library implements it: it is node:crypto's scrypt followed by one
// AES-256-CTR encryption (node:crypto), as Firebase's README and its C source describe:
//   key  = scrypt(password, salt ‖ salt separator, N = 2^mem_cost, r = rounds, p = 1, 32 bytes)
//   hash = AES-256-CTR(key, IV = 16 zero bytes).encrypt(signer key)
// Firebase exports each user's hash and salt, but the signer key, salt separator, rounds and
// mem_cost are the project's, given once per import. So that a stored hash verifies on its own
// (and exports and imports again), firebaseScryptHash() packs all of it into one string of ours:
//   $firebase-scrypt$ln=<mem_cost>,r=<rounds>$<salt separator>$<signer key>$<salt>$<hash>
// each value base64 of the standard alphabet without padding (Firebase's `=` padding is dropped).
import { createCipheriv } from 'node:crypto';
import { decodeBase64, sameBytes, wholeNumber } from './hash-encoding.ts';
import { MAX_SALT_BYTES } from './hash-limits.ts';
import type { RecognisedHash } from './recognised-hash.ts';
import { scryptCostAllowed, scryptKey } from './scrypt-work.ts';

/** A Firebase project's password hash parameters (Console → Authentication → Users → ⋮ → Password hash parameters). */
export interface FirebaseScryptParams {
  /** base64_signer_key. */
  signerKey: string;
  /** base64_salt_separator. */
  saltSeparator: string;
  rounds: number;
  memCost: number;
}

const B64 = '([A-Za-z0-9+/]+)';
const FORMAT = new RegExp(`^\\$firebase-scrypt\\$ln=(\\d+),r=(\\d+)\\$([A-Za-z0-9+/]*)\\$${B64}\\$${B64}\\$${B64}$`);

const unpadded = (base64: string): string => base64.trim().replace(/=+$/, '');

/**
 * The stored form of one exported Firebase user: the user's passwordHash and salt (base64, as
 * `firebase auth:export` writes them) with the project's parameters. Not checked here: a string
 * that hashFormat() does not recognise (bad base64, parameters out of range) is a rejected row.
 */
export function firebaseScryptHash(params: FirebaseScryptParams, hashB64: string, saltB64: string): string {
  return `$firebase-scrypt$ln=${params.memCost},r=${params.rounds}$${unpadded(params.saltSeparator)}$${unpadded(params.signerKey)}$${unpadded(saltB64)}$${unpadded(hashB64)}`;
}

export function recogniseFirebaseScrypt(hash: string): RecognisedHash | undefined {
  const match = FORMAT.exec(hash);
  if (!match) return undefined;
  const [, ln, r, separatorText, signerKeyText, saltText, digestText] = match;
  const cost = { ln: wholeNumber(ln) ?? 0, r: wholeNumber(r) ?? 0, p: 1 };
  // The separator may be empty; the others must decode.
  const separator = separatorText === '' ? Buffer.alloc(0) : decodeBase64(separatorText!);
  const [signerKey, salt, digest] = [decodeBase64(signerKeyText!), decodeBase64(saltText!), decodeBase64(digestText!)];
  if (!scryptCostAllowed(cost) || !separator || !signerKey || !salt || !digest) return undefined;
  if (salt.length + separator.length > MAX_SALT_BYTES * 2 || signerKey.length > 256 || digest.length !== signerKey.length) return undefined;
  return {
    format: 'firebase-scrypt',
    portable: hash,
    verify: async (password) => {
      try {
        const key = await scryptKey(password, Buffer.concat([salt, separator]), 32, cost);
        const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
        return sameBytes(Buffer.concat([cipher.update(signerKey), cipher.final()]), digest);
      } catch {
        return false;
      }
    },
  };
}
