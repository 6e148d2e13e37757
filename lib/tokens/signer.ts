// The private half of our signing keys: signs with the current key, creates the first keys, and
// rotates. Only functions that issue tokens or rotate keys build one, since only it reaches KMS
// (through the key envelope, lib/tokens/key-envelope.ts). It shares the key set cache of the
// instance's verification keys, so what it creates or promotes is verified there at once.
// Rotation promotes a key that has been published for a whole rotation period, so consumers that
// cache the JWKS already know it when the first token signed with it arrives.
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningKeyStore, StoredKey } from '../domain/signing-key.ts';
import type { Clock } from '../support/clock.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { KeyEnvelope } from './key-envelope.ts';
import { SIGNING_ALG } from './signing-alg.ts';
import type { VerificationKeys } from './verification-keys.ts';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | Uint8Array;
}

export interface SignerOptions {
  store: SigningKeyStore;
  clock: Clock;
  /** Seals and opens private keys through KMS; called at the first key that needs it, so a signer built and never used never reaches KMS. */
  envelope: () => KeyEnvelope;
  /** This instance's verification keys: their cache (and its cacheSeconds) is the one the signer reads. */
  verificationKeys: VerificationKeys;
  /** The longest lifetime of any token we sign; a retired key stays published that long. */
  maxTokenLifetimeSeconds: number;
}

export type RotationResult = { kid: string; nextKid: string; retiredKid: string | undefined };
export type EnsureResult = { kid: string; nextKid: string | undefined; created: boolean };

/** A stored key this instance cannot open (KMS refused, or it predates KMS): nothing was changed. */
export class KeyUnavailableError extends Error {
  constructor(
    readonly kid: string,
    cause: unknown,
  ) {
    // The cause's name and message only (an AWS error name, our own text): never key material.
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : 'unknown failure';
    super(`Signing key ${kid} cannot be decrypted (${reason}); nothing was changed`, { cause });
    this.name = 'KeyUnavailableError';
  }
}

export interface Signer {
  /** The current private key, decrypted at most once per key per instance; creates the first keys if there are none. */
  signingKey(): Promise<SigningKey>;
  /**
   * Makes sure the first keys exist (deploy time, `npm start`) and that the current one opens;
   * changes nothing when they do. Idempotent.
   */
  ensureKeys(): Promise<EnsureResult>;
  /**
   * Promotes the published next key to current and publishes a new next key; the previous key
   * stays published until its tokens have expired. First proves that the current and next keys
   * open (else throws KeyUnavailableError and changes nothing). Creates the first keys if there are none.
   */
  rotate(): Promise<RotationResult>;
}

async function newKey(clock: Clock, envelope: KeyEnvelope, status: StoredKey['status']): Promise<StoredKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    alg: SIGNING_ALG,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
    ...(await envelope.seal(JSON.stringify(privateJwk), kid)),
    createdAt: toEpochSeconds(clock.now()),
    status,
  };
}

export function createSigner(options: SignerOptions): Signer {
  const { store, clock, envelope } = options;
  const keySets = options.verificationKeys.keySets;
  // Per kid, the opening in flight or done: each key is decrypted (one KMS Decrypt) once per instance.
  const opened = new Map<string, Promise<SigningKey>>();

  /** The first keys ever: a current one and a published next one. Losing the race is fine. */
  async function createFirstKeys(): Promise<boolean> {
    const [current, next] = await Promise.all([newKey(clock, envelope(), 'current'), newKey(clock, envelope(), 'next')]);
    return store.createFirst(current, next);
  }

  function open(kid: string): Promise<SigningKey> {
    let key = opened.get(kid);
    if (!key) {
      key = (async () => {
        try {
          const sealed = await store.sealedPrivateKey(kid);
          if (!sealed) throw new Error('the key is missing from the table');
          const jwk = JSON.parse(await envelope().open(sealed, kid)) as JWK;
          return { kid, privateKey: await importJWK(jwk, SIGNING_ALG) };
        } catch (error) {
          throw new KeyUnavailableError(kid, error);
        }
      })();
      // A failure is not kept: the next call tries KMS again (it may have been an outage).
      key.catch(() => opened.delete(kid));
      opened.set(kid, key);
    }
    return key;
  }

  async function currentKid(): Promise<string> {
    let set = await keySets.get();
    if (!set.currentKid) {
      await createFirstKeys();
      set = await keySets.reload();
    }
    if (!set.keys.some((k) => k.kid === set.currentKid)) throw new Error(`Signing key ${set.currentKid} is missing from the key set`);
    return set.currentKid!;
  }

  return {
    async signingKey() {
      return open(await currentKid());
    },

    async ensureKeys() {
      let set = await keySets.reload();
      let created = false;
      if (!set.currentKid) {
        created = await createFirstKeys();
        set = await keySets.reload();
      }
      await open(set.currentKid!);
      return { kid: set.currentKid!, nextKid: set.nextKid, created };
    },

    async rotate() {
      let set = await keySets.reload();
      if (!set.currentKid) {
        await createFirstKeys();
        set = await keySets.reload();
        return { kid: set.currentKid!, nextKid: set.nextKid!, retiredKid: undefined };
      }
      if (!set.nextKid) throw new Error('The key set has no next key to promote; it was not created by this service');
      // Before any write: a key set this instance cannot open must not be rotated, or the stage
      // would sign with a key nobody can decrypt once the next key is promoted.
      await Promise.all([open(set.currentKid), open(set.nextKid)]);
      const newNext = await newKey(clock, envelope(), 'next');
      const retireUntil = toEpochSeconds(clock.now()) + keySets.cacheSeconds + options.maxTokenLifetimeSeconds + 60;
      if (!(await store.rotate(set.currentKid, set.nextKid, newNext, retireUntil))) {
        throw new Error('Another rotation happened at the same time; run it again if a new key is still wanted');
      }
      await keySets.reload();
      return { kid: set.nextKid, nextKid: newNext.kid, retiredKid: set.currentKid };
    },
  };
}
