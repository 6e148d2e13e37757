// The signing key set as this Lambda instance last read it, shared by the verify-only keys and the
// signer of one instance, so a key the signer creates or promotes is seen by its verifier at once.
// It only reads: the read port has no write method, and nothing here can decrypt a private key.

import type { KeySet, SigningKeyStore } from '../domain/signing-key.ts';
import type { Clock } from '../support/clock.ts';

/** The read-only port of the signing key store: what a function that only verifies may do. */
export type SigningKeyReads = Pick<SigningKeyStore, 'load'>;

export interface KeySetCacheOptions {
  reads: SigningKeyReads;
  clock: Clock;
  /** How long a loaded key set is trusted before it is read again. */
  cacheSeconds: number;
}

export interface KeySetCache {
  readonly cacheSeconds: number;
  /** The cached set while fresh, else read again. A set without keys is never cached. */
  get(): Promise<KeySet>;
  /** Reads the set now and caches it. */
  reload(): Promise<KeySet>;
  /** The set as last read and when (clock ms), however old; undefined before the first read. */
  last(): { at: number; set: KeySet } | undefined;
  /** Whether `last()` is still fresh: it has keys and is younger than cacheSeconds. */
  isFresh(): boolean;
}

export function createKeySetCache(options: KeySetCacheOptions): KeySetCache {
  const { reads, clock, cacheSeconds } = options;
  let loaded: { at: number; set: KeySet } | undefined;

  // A set without keys is never fresh: the first signer may create them any moment.
  const isFresh = () => Boolean(loaded?.set.currentKid) && clock.now() - loaded!.at < cacheSeconds * 1000;

  async function reload(): Promise<KeySet> {
    const set = await reads.load();
    loaded = { at: clock.now(), set };
    return set;
  }

  return {
    cacheSeconds,
    async get() {
      if (isFresh()) return loaded!.set;
      return reload();
    },
    reload,
    last: () => loaded,
    isFresh,
  };
}
