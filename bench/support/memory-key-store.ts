// An in-memory SigningKeyStore, so the verify micro-benchmark runs the real signer and verification keys
// with its keys loaded without needing a database. The DynamoDB-backed store is what sections 2
// and 3 use.
import type { KeySet, SigningKeyStore, StoredKey } from '../../lib/domain/signing-key.ts';

export function memorySigningKeyStore(): SigningKeyStore {
  let currentKid: string | undefined;
  let nextKid: string | undefined;
  const keys = new Map<string, StoredKey>();
  const unused = async (): Promise<never> => {
    throw new Error('not used by the benchmark');
  };
  return {
    async load(): Promise<KeySet> {
      return {
        currentKid,
        nextKid,
        keys: [...keys.values()].map(({ encryptedPrivateJwk: _e, wrappedDataKey: _w, ...key }) => structuredClone(key)),
      };
    },
    async sealedPrivateKey(kid) {
      return keys.get(kid);
    },
    async createFirst(current, next) {
      if (currentKid) return false;
      [currentKid, nextKid] = [current.kid, next.kid];
      keys.set(current.kid, structuredClone(current));
      keys.set(next.kid, structuredClone(next));
      return true;
    },
    loadSealed: unused,
    rotate: unused,
    reseal: unused,
  };
}
