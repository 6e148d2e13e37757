// The keys that sign JWTs as stored (public JWK, the private JWK sealed in a KMS envelope, status)
// and the ports the key ring reaches them and KMS through (lib/store/signing-keys.ts, lib/aws/kms.ts).
import type { JWK } from 'jose';

/** What anyone may see of a signing key: all a verifier or the JWKS needs, nothing secret. */
export interface PublicKeyRecord {
  kid: string;
  alg: string;
  publicJwk: JWK;
  createdAt: number;
  status: 'current' | 'next' | 'retired';
  /** Epoch seconds: a retired key stays published until every token it signed has expired. */
  expiresAt?: number;
}

/** The sealed private half of a key, read only by functions that sign. */
export interface SealedPrivateKey {
  /**
   * The private JWK, AES-256-GCM encrypted: `kms1.<iv>.<ciphertext+tag>` under the data key in
   * `wrappedDataKey` (lib/tokens/key-envelope.ts), or, before `keys migrate`, `v1.<iv>.<...>` under
   * KEY_ENCRYPTION_SECRET (lib/tokens/legacy-key-encryption.ts) with no wrapped data key.
   */
  encryptedPrivateJwk: string;
  /** The data key as KMS GenerateDataKey returned it (CiphertextBlob), base64. */
  wrappedDataKey?: string;
}

export type StoredKey = PublicKeyRecord & SealedPrivateKey;

export interface KeySet {
  currentKid: string | undefined;
  nextKid: string | undefined;
  /** Public parts only: the set is read without the sealed private halves. */
  keys: PublicKeyRecord[];
}

/** Reading the key set: all a verifier needs. */
export interface SigningKeyReads {
  load(): Promise<KeySet>;
}

export interface SigningKeyStore extends SigningKeyReads {
  /** The sealed private half of one key (a consistent GetItem); undefined if there is no such key. */
  sealedPrivateKey(kid: string): Promise<SealedPrivateKey | undefined>;
  /** Every key with its sealed private half: for `keys migrate`. */
  loadSealed(): Promise<StoredKey[]>;
  /** Stores the first current and next keys; false when another instance won the race. */
  createFirst(current: StoredKey, next: StoredKey): Promise<boolean>;
  /**
   * Promotes the next key to current, stages `newNext`, and retires `previousKid` until
   * `retireUntil`; false if another rotation got there first.
   */
  rotate(previousKid: string, promotedKid: string, newNext: StoredKey, retireUntil: number): Promise<boolean>;
  /**
   * Replaces one key's sealed private half, only if it still holds `expected` (one conditional
   * write): false when it no longer does (another run got there first).
   */
  reseal(kid: string, expected: string, sealed: Required<SealedPrivateKey>): Promise<boolean>;
}

/** Encryption context: string pairs KMS binds to a data key; Decrypt refuses any other. */
export type EncryptionContext = Record<string, string>;

/** The port to KMS the signer uses: data keys for envelope encryption (lib/aws/kms.ts). */
export interface DataKeys {
  /** A fresh 256-bit data key, in plaintext (wipe it after use) and wrapped under the KMS key. */
  generate(context: EncryptionContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }>;
  /** Unwraps a data key; rejects when the context differs from the one it was made with. */
  decrypt(wrapped: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
}
