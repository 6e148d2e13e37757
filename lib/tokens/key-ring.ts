// The signing keys as this Lambda instance sees them: loaded from the table, cached for
// KEY_CACHE_SECONDS, created on first use, reloaded when a token names a key we have not seen.
// Keys are imported once per instance, so signing and verifying never re-parse JWKs.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type KeyObject } from 'jose';
import type { Clock } from '../clock.ts';
import { toEpochSeconds } from '../clock.ts';
import type { KeySet, SigningKeyStore, StoredKey } from '../store/signing-keys.ts';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.ts';

/** RS256: API Gateway's built-in JWT authorizer accepts only RSA keys. */
export const SIGNING_ALG = 'RS256';

type ImportedKey = CryptoKey | KeyObject | Uint8Array;

export interface SigningKey {
  kid: string;
  privateKey: ImportedKey;
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
  verificationKey(kid: string): Promise<ImportedKey | undefined>;
  /** The public JWKs to publish: the current key and retired keys whose tokens may still be alive. */
  publicJwks(): Promise<JWK[]>;
  /** Makes a new key current; the previous one stays published until its tokens have expired. */
  rotate(): Promise<{ kid: string; retiredKid: string | undefined }>;
}

/** A reload for an unknown kid happens at most this often, so junk kids cannot hammer the table. */
const UNKNOWN_KID_RELOAD_MS = 1_000;

async function newKey(clock: Clock, secret: string): Promise<StoredKey> {
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
    status: 'current',
  };
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { store, clock, encryptionSecret } = options;
  let loaded: { at: number; set: KeySet } | undefined;
  const publicKeys = new Map<string, ImportedKey>();
  let signing: SigningKey | undefined;

  const isPublished = (key: StoredKey) => key.expiresAt === undefined || key.expiresAt > toEpochSeconds(clock.now());

  async function reload(): Promise<KeySet> {
    const set = await store.load();
    loaded = { at: clock.now(), set };
    return set;
  }

  async function keySet(): Promise<KeySet> {
    if (loaded && clock.now() - loaded.at < options.cacheSeconds * 1000) return loaded.set;
    return reload();
  }

  async function currentKey(): Promise<StoredKey> {
    let set = await keySet();
    if (!set.currentKid) {
      // First signer ever: create the key; if another instance won the race, use theirs.
      await store.createFirst(await newKey(clock, encryptionSecret));
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
        imported = await importJWK(key.publicJwk, SIGNING_ALG);
        publicKeys.set(kid, imported);
      }
      return imported;
    },

    async publicJwks() {
      const set = await keySet();
      return set.keys.filter(isPublished).map((key) => key.publicJwk);
    },

    async rotate() {
      const set = await reload();
      if (!set.currentKid) {
        const first = await newKey(clock, encryptionSecret);
        if (await store.createFirst(first)) return { kid: first.kid, retiredKid: undefined };
        return this.rotate();
      }
      const next = await newKey(clock, encryptionSecret);
      const retireUntil =
        toEpochSeconds(clock.now()) + options.cacheSeconds + options.maxTokenLifetimeSeconds + 60;
      if (!(await store.rotate(next, set.currentKid, retireUntil))) {
        throw new Error('Another rotation happened at the same time; run it again if a new key is still wanted');
      }
      await reload();
      return { kid: next.kid, retiredKid: set.currentKid };
    },
  };
}
