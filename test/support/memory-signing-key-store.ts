// An in-memory SigningKeyStore for pure unit tests of the signer, the verification keys and token code. The real store
// is covered against DynamoDB Local in test/integration/signing-keys.test.ts.
import type { KeySet, SigningKeyStore, StoredKey } from '../../lib/domain/signing-key.ts';

export function memorySigningKeyStore(): SigningKeyStore & { loads: number } {
  let currentKid: string | undefined;
  let nextKid: string | undefined;
  const keys = new Map<string, StoredKey>();
  const store = {
    loads: 0,
    async load(): Promise<KeySet> {
      store.loads += 1;
      return { currentKid, nextKid, keys: [...keys.values()].map((key) => structuredClone(key)) };
    },
    async createFirst(current: StoredKey, next: StoredKey) {
      if (currentKid) return false;
      [currentKid, nextKid] = [current.kid, next.kid];
      keys.set(current.kid, structuredClone(current));
      keys.set(next.kid, structuredClone(next));
      return true;
    },
    async rotate(previousKid: string, promotedKid: string, newNext: StoredKey, retireUntil: number) {
      if (currentKid !== previousKid || nextKid !== promotedKid) return false;
      keys.set(previousKid, { ...keys.get(previousKid)!, status: 'retired', expiresAt: retireUntil });
      keys.set(promotedKid, { ...keys.get(promotedKid)!, status: 'current' });
      keys.set(newNext.kid, structuredClone(newNext));
      [currentKid, nextKid] = [promotedKid, newNext.kid];
      return true;
    },
  };
  return store;
}
