// An in-memory SigningKeyStore for pure unit tests of the key ring and token code. The real store
// is covered against DynamoDB Local in test/integration/signing-keys.test.ts.
import type { KeySet, SigningKeyStore, StoredKey } from '../../lib/store/signing-keys.ts';

export function memorySigningKeyStore(): SigningKeyStore & { loads: number } {
  let currentKid: string | undefined;
  const keys = new Map<string, StoredKey>();
  const store = {
    loads: 0,
    async load(): Promise<KeySet> {
      store.loads += 1;
      return { currentKid, keys: [...keys.values()].map((key) => structuredClone(key)) };
    },
    async createFirst(key: StoredKey) {
      if (currentKid) return false;
      currentKid = key.kid;
      keys.set(key.kid, structuredClone(key));
      return true;
    },
    async rotate(next: StoredKey, previousKid: string, retireUntil: number) {
      if (currentKid !== previousKid) return false;
      const previous = keys.get(previousKid)!;
      keys.set(previousKid, { ...previous, status: 'retired', expiresAt: retireUntil });
      keys.set(next.kid, structuredClone(next));
      currentKid = next.kid;
      return true;
    },
  };
  return store;
}
