// TOTP secrets at rest: sealed in the same KMS envelope as the signing keys
// (./key-envelope.ts), each under its own data key whose encryption context names the user
// (kid `totp:<userId>`), so a sealed secret copied onto another account's item does not open.
// Every open is one KMS Decrypt, logged by CloudTrail.
import type { SealedSecret } from '../domain/mfa.ts';
import type { KeyEnvelope } from './key-envelope.ts';

export interface TotpSecrets {
  seal(userId: string, secretBase32: string): Promise<SealedSecret>;
  /** Rejects when KMS refuses or the sealed secret was tampered with. */
  open(userId: string, sealed: SealedSecret): Promise<string>;
}

const contextKid = (userId: string) => `totp:${userId}`;

export function createTotpSecrets(envelope: () => KeyEnvelope): TotpSecrets {
  return {
    async seal(userId, secretBase32) {
      const sealed = await envelope().seal(secretBase32, contextKid(userId));
      return { ciphertext: sealed.encryptedPrivateJwk, wrappedDataKey: sealed.wrappedDataKey };
    },
    async open(userId, sealed) {
      return envelope().open({ encryptedPrivateJwk: sealed.ciphertext, wrappedDataKey: sealed.wrappedDataKey }, contextKid(userId));
    },
  };
}
