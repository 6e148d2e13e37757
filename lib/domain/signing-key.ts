// The keys that sign JWTs as stored (public JWK, encrypted private JWK, status) and the port the
// key ring reaches them through (lib/store/signing-keys.ts).
import type { JWK } from 'jose';

export interface StoredKey {
  kid: string;
  alg: string;
  publicJwk: JWK;
  /** The private JWK, AES-256-GCM encrypted under KEY_ENCRYPTION_SECRET (lib/tokens/key-encryption.ts). */
  encryptedPrivateJwk: string;
  createdAt: number;
  status: 'current' | 'next' | 'retired';
  /** Epoch seconds: a retired key stays published until every token it signed has expired. */
  expiresAt?: number;
}

export interface KeySet {
  currentKid: string | undefined;
  nextKid: string | undefined;
  keys: StoredKey[];
}

/** Reading the key set: all a verifier needs. */
export interface SigningKeyReads {
  load(): Promise<KeySet>;
}

export interface SigningKeyStore extends SigningKeyReads {
  /** Stores the first current and next keys; false when another instance won the race. */
  createFirst(current: StoredKey, next: StoredKey): Promise<boolean>;
  /**
   * Promotes the next key to current, stages `newNext`, and retires `previousKid` until
   * `retireUntil`; false if another rotation got there first.
   */
  rotate(previousKid: string, promotedKid: string, newNext: StoredKey, retireUntil: number): Promise<boolean>;
}
