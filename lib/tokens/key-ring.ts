// The signing keys as this Lambda instance sees them: loaded from the table, cached for
// KEY_CACHE_SECONDS, created on first use, reloaded when a token names a key we have not seen.
// Rotation promotes a key that has been published for a whole rotation period, so consumers that
// cache the JWKS already know it when the first token signed with it arrives.
// Keys are imported once per instance, so signing and verifying never re-parse JWKs.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../support/clock.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { KeySet, SigningKeyStore, StoredKey } from '../domain/signing-key.ts';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.ts';

/** RS256: API Gateway's built-in JWT authorizer accepts only RSA keys. */
export const SIGNING_ALG = 'RS256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | Uint8Array;
}

export interface KeyRingOptions {
  store: SigningKeyStore;
  clock: Clock;
  encryptionSecret: string;
  /** How long a loaded key set is trusted before it is read again. */
  cacheSeconds: number;
  /** The longest lifetime of any token we sign; a retired key stays published that long. */
  maxTokenLifetimeSeconds: number;
}

export interface KeyRing {
  signingKey(): Promise<SigningKey>;
  /** The public key for `kid`, or undefined if it is not one of ours (or has been retired out). */
  verificationKey(kid: string): Promise<KeyObject | undefined>;
  /**
   * The public key for `kid` if this instance already holds it, imported, in a key set that is
   * still fresh: the authorizer's synchronous hot path. Undefined means "ask verificationKey()".
   */
  cachedVerificationKey(kid: string): KeyObject | undefined;
  /** The public JWKs to publish: current, next, and retired keys whose tokens may still be alive. */
  publicJwks(): Promise<JWK[]>;
  /**
   * Promotes the published next key to current and publishes a new next key; the previous key
   * stays published until its tokens have expired. Creates the first keys if there are none.
   */
  rotate(): Promise<{ kid: string; nextKid: string; retiredKid: string | undefined }>;
}

/** A reload for an unknown kid happens at most this often, so junk kids cannot hammer the table. */
const UNKNOWN_KID_RELOAD_MS = 1_000;

async function newKey(clock: Clock, secret: string, status: StoredKey['status']): Promise<StoredKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    alg: SIGNING_ALG,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
    encryptedPrivateJwk: encryptPrivateKey(JSON.stringify(privateJwk), kid, secret),
    createdAt: toEpochSeconds(clock.now()),
    status,
  };
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { store, clock, encryptionSecret } = options;
  let loaded: { at: number; set: KeySet } | undefined;
  // node:crypto KeyObjects: the hot-path verifier (jwt-verify.ts) uses them without re-import.
  const publicKeys = new Map<string, KeyObject>();
  let signing: SigningKey | undefined;

  const isPublished = (key: StoredKey) => key.expiresAt === undefined || key.expiresAt > toEpochSeconds(clock.now());

  async function reload(): Promise<KeySet> {
    const set = await store.load();
    loaded = { at: clock.now(), set };
    return set;
  }

  async function keySet(): Promise<KeySet> {
    // A set without keys is never cached: the first signer may create them any moment.
    if (loaded?.set.currentKid && clock.now() - loaded.at < options.cacheSeconds * 1000) return loaded.set;
    return reload();
  }

  /** The first keys ever: a current one and a published next one. Losing the race is fine. */
  async function createFirstKeys(): Promise<void> {
    const [current, next] = await Promise.all([newKey(clock, encryptionSecret, 'current'), newKey(clock, encryptionSecret, 'next')]);
    await store.createFirst(current, next);
  }

  async function currentKey(): Promise<StoredKey> {
    let set = await keySet();
    if (!set.currentKid) {
      await createFirstKeys();
      set = await reload();
    }
    const key = set.keys.find((k) => k.kid === set.currentKid);
    if (!key) throw new Error(`Signing key ${set.currentKid} is missing from the key set`);
    return key;
  }

  return {
    async signingKey() {
      const key = await currentKey();
      if (signing?.kid !== key.kid) {
        const jwk = JSON.parse(decryptPrivateKey(key.encryptedPrivateJwk, key.kid, encryptionSecret)) as JWK;
        signing = { kid: key.kid, privateKey: await importJWK(jwk, SIGNING_ALG) };
      }
      return signing;
    },

    async verificationKey(kid) {
      let set = await keySet();
      let key = set.keys.find((k) => k.kid === kid);
      if (!key && loaded && clock.now() - loaded.at >= UNKNOWN_KID_RELOAD_MS) {
        set = await reload();
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
      if (!loaded?.set.currentKid || clock.now() - loaded.at >= options.cacheSeconds * 1000) return undefined;
      const key = publicKeys.get(kid);
      if (!key) return undefined;
      const stored = loaded.set.keys.find((k) => k.kid === kid);
      return stored && isPublished(stored) ? key : undefined;
    },

    async publicJwks() {
      const set = await keySet();
      return set.keys.filter(isPublished).map((key) => key.publicJwk);
    },

    async rotate() {
      let set = await reload();
      if (!set.currentKid) {
        await createFirstKeys();
        set = await reload();
        return { kid: set.currentKid!, nextKid: set.nextKid!, retiredKid: undefined };
      }
      if (!set.nextKid) throw new Error('The key set has no next key to promote; it was not created by this service');
      const newNext = await newKey(clock, encryptionSecret, 'next');
      const retireUntil = toEpochSeconds(clock.now()) + options.cacheSeconds + options.maxTokenLifetimeSeconds + 60;
      if (!(await store.rotate(set.currentKid, set.nextKid, newNext, retireUntil))) {
        throw new Error('Another rotation happened at the same time; run it again if a new key is still wanted');
      }
      await reload();
      return { kid: set.nextKid, nextKid: newNext.kid, retiredKid: set.currentKid };
    },
  };
}
