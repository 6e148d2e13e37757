// The public half of our signing keys, as a function that only verifies tokens (or publishes the
// JWKS) sees them. It is built without KMS and from a read-only store port that reads only public
// parts, so it cannot create, rotate or decrypt a key: only lib/tokens/signer.ts can, where wired.
// Keys are read from the table, cached for KEY_CACHE_SECONDS, reloaded when a token names a key we
// have not seen, and imported once per instance, so verifying never re-parses a JWK.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { PublicKeyRecord } from '../domain/signing-key.ts';
import type { Clock } from '../support/clock.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { createKeySetCache, type KeySetCache, type SigningKeyReads } from './key-set-cache.ts';

export type { SigningKeyReads } from './key-set-cache.ts';
export { SIGNING_ALG } from './signing-alg.ts';

export interface VerificationKeysOptions {
  /** Reads only: this side of the key ring never writes a key. */
  reads: SigningKeyReads;
  clock: Clock;
  /** How long a loaded key set is trusted before it is read again. */
  cacheSeconds: number;
}

export interface VerificationKeys {
  /** The public key for `kid`, or undefined if it is not one of ours (or has been retired out). */
  verificationKey(kid: string): Promise<KeyObject | undefined>;
  /**
   * The public key for `kid` if this instance already holds it, imported, in a key set that is
   * still fresh: the authorizer's synchronous hot path. Undefined means "ask verificationKey()".
   */
  cachedVerificationKey(kid: string): KeyObject | undefined;
  /** The public JWKs to publish: current, next, and retired keys whose tokens may still be alive. */
  publicJwks(): Promise<JWK[]>;
  /** The read-only key set cache behind these answers; a signer of the same instance shares it. */
  readonly keySets: KeySetCache;
}

/** A reload for an unknown kid happens at most this often, so junk kids cannot hammer the table. */
export const UNKNOWN_KID_RELOAD_MS = 1_000;

export function createVerificationKeys(options: VerificationKeysOptions): VerificationKeys {
  const { clock } = options;
  const keySets = createKeySetCache(options);
  // node:crypto KeyObjects: the hot-path verifier (jwt-verify.ts) uses them without re-import.
  const publicKeys = new Map<string, KeyObject>();

  const isPublished = (key: PublicKeyRecord) => key.expiresAt === undefined || key.expiresAt > toEpochSeconds(clock.now());

  return {
    keySets,

    async verificationKey(kid) {
      let set = await keySets.get();
      let key = set.keys.find((k) => k.kid === kid);
      const loaded = keySets.last();
      if (!key && loaded && clock.now() - loaded.at >= UNKNOWN_KID_RELOAD_MS) {
        set = await keySets.reload();
        key = set.keys.find((k) => k.kid === kid);
      }
      if (!key || !isPublished(key)) return undefined;
      let imported = publicKeys.get(kid);
      if (!imported) {
        imported = createPublicKey({ key: key.publicJwk as JsonWebKey, format: 'jwk' });
        publicKeys.set(kid, imported);
      }
      return imported;
    },

    cachedVerificationKey(kid) {
      if (!keySets.isFresh()) return undefined;
      const key = publicKeys.get(kid);
      if (!key) return undefined;
      const stored = keySets.last()!.set.keys.find((k) => k.kid === kid);
      return stored && isPublished(stored) ? key : undefined;
    },

    async publicJwks() {
      const set = await keySets.get();
      return set.keys.filter(isPublished).map((key) => key.publicJwk);
    },
  };
}
