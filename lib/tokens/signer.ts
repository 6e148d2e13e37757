// The private half of our signing keys: signs with the current key, creates the first keys at the
// first signature, and rotates. Only functions that issue tokens or rotate keys build one, since
// only it holds KEY_ENCRYPTION_SECRET. It shares the key set cache of the instance's verification
// keys, so what it creates or promotes is verified there at once, without giving them the secret.
// Rotation promotes a key that has been published for a whole rotation period, so consumers that
// cache the JWKS already know it when the first token signed with it arrives.
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningKeyStore, StoredKey } from '../domain/signing-key.ts';
import type { Clock } from '../support/clock.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.ts';
import { SIGNING_ALG } from './signing-alg.ts';
import type { VerificationKeys } from './verification-keys.ts';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | Uint8Array;
}

export interface SignerOptions {
  store: SigningKeyStore;
  clock: Clock;
  encryptionSecret: string;
  /** This instance's verification keys: their cache (and its cacheSeconds) is the one the signer reads. */
  verificationKeys: VerificationKeys;
  /** The longest lifetime of any token we sign; a retired key stays published that long. */
  maxTokenLifetimeSeconds: number;
}

export type RotationResult = { kid: string; nextKid: string; retiredKid: string | undefined };

export interface Signer {
  /** The current private key, decrypted once per key per instance; creates the first keys if there are none. */
  signingKey(): Promise<SigningKey>;
  /**
   * Promotes the published next key to current and publishes a new next key; the previous key
   * stays published until its tokens have expired. Creates the first keys if there are none.
   */
  rotate(): Promise<RotationResult>;
}

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

export function createSigner(options: SignerOptions): Signer {
  const { store, clock, encryptionSecret } = options;
  const keySets = options.verificationKeys.keySets;
  let signing: SigningKey | undefined;

  /** The first keys ever: a current one and a published next one. Losing the race is fine. */
  async function createFirstKeys(): Promise<void> {
    const [current, next] = await Promise.all([newKey(clock, encryptionSecret, 'current'), newKey(clock, encryptionSecret, 'next')]);
    await store.createFirst(current, next);
  }

  async function currentKey(): Promise<StoredKey> {
    let set = await keySets.get();
    if (!set.currentKid) {
      await createFirstKeys();
      set = await keySets.reload();
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

    async rotate() {
      let set = await keySets.reload();
      if (!set.currentKid) {
        await createFirstKeys();
        set = await keySets.reload();
        return { kid: set.currentKid!, nextKid: set.nextKid!, retiredKid: undefined };
      }
      if (!set.nextKid) throw new Error('The key set has no next key to promote; it was not created by this service');
      const newNext = await newKey(clock, encryptionSecret, 'next');
      const retireUntil = toEpochSeconds(clock.now()) + keySets.cacheSeconds + options.maxTokenLifetimeSeconds + 60;
      if (!(await store.rotate(set.currentKid, set.nextKid, newNext, retireUntil))) {
        throw new Error('Another rotation happened at the same time; run it again if a new key is still wanted');
      }
      await keySets.reload();
      return { kid: set.nextKid, nextKid: newNext.kid, retiredKid: set.currentKid };
    },
  };
}
