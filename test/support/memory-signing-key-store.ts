// An in-memory SigningKeyStore for pure unit tests of the signer, the verification keys and token code. The real store
// is covered against DynamoDB Local in test/integration/signing-keys.test.ts. Like the real one, load() returns public
// parts only; the sealed halves come one key at a time.
import type { KeySet, PublicKeyRecord, SealedPrivateKey, SigningKeyStore, StoredKey } from '../../lib/domain/signing-key.ts';

const publicPart = ({ encryptedPrivateJwk: _e, wrappedDataKey: _w, ...rest }: StoredKey): PublicKeyRecord => structuredClone(rest);

export function memorySigningKeyStore(): SigningKeyStore & { loads: number; keys: Map<string, StoredKey> } {
  let currentKid: string | undefined;
  let nextKid: string | undefined;
  const keys = new Map<string, StoredKey>();
  const store = {
    loads: 0,
    keys,
    async load(): Promise<KeySet> {
      store.loads += 1;
      return { currentKid, nextKid, keys: [...keys.values()].map(publicPart) };
    },
    async sealedPrivateKey(kid: string): Promise<SealedPrivateKey | undefined> {
      const key = keys.get(kid);
      return key && { encryptedPrivateJwk: key.encryptedPrivateJwk, ...(key.wrappedDataKey ? { wrappedDataKey: key.wrappedDataKey } : {}) };
    },
    async loadSealed() {
      return [...keys.values()].map((key) => structuredClone(key));
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
    async reseal(kid: string, expected: string, sealed: Required<SealedPrivateKey>) {
      const key = keys.get(kid);
      if (key?.encryptedPrivateJwk !== expected) return false;
      keys.set(kid, { ...key, ...sealed });
      return true;
    },
  };
  return store;
}
