// Envelope encryption of private signing keys: each key's private JWK is AES-256-GCM encrypted
// under its own data key from KMS GenerateDataKey; only the wrapped data key (CiphertextBlob) is
// stored beside it, and the plaintext data key is wiped as soon as it has been used. KMS binds the
// data key to an encryption context naming the service, stage and kid, so a sealed key copied onto
// another key's item, another stage or another service does not open; the kid is also the GCM
// associated data. The AES work stays local: KMS sees only the 32-byte data key, never the JWK.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKeys, EncryptionContext, SealedPrivateKey } from '../domain/signing-key.ts';

export const ENVELOPE_VERSION = 'kms1';

/** Who the keys belong to, for the encryption context: the service and stage names. */
export interface KeyContextNames {
  service: string;
  stage: string;
}

/** The encryption context of one key: service, stage and kid (IAM conditions name the first two). */
export function keyContext(names: KeyContextNames, kid: string): EncryptionContext {
  return { service: names.service, stage: names.stage, kid };
}

/** A sealed key made before KMS envelopes (`keys migrate` re-wraps it). */
export function isLegacySealed(sealed: SealedPrivateKey): boolean {
  return !sealed.encryptedPrivateJwk.startsWith(`${ENVELOPE_VERSION}.`) || !sealed.wrappedDataKey;
}

export interface KeyEnvelope {
  seal(plaintext: string, kid: string): Promise<Required<SealedPrivateKey>>;
  /** Rejects when KMS refuses the data key (wrong context, key or permission) or the data was tampered with. */
  open(sealed: SealedPrivateKey, kid: string): Promise<string>;
}

export function createKeyEnvelope(dataKeys: DataKeys, names: KeyContextNames): KeyEnvelope {
  return {
    async seal(plaintext, kid) {
      const { plaintext: dataKey, wrapped } = await dataKeys.generate(keyContext(names, kid));
      try {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
        cipher.setAAD(Buffer.from(kid, 'utf8'));
        const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
        return {
          encryptedPrivateJwk: [ENVELOPE_VERSION, iv.toString('base64url'), data.toString('base64url')].join('.'),
          wrappedDataKey: Buffer.from(wrapped).toString('base64'),
        };
      } finally {
        dataKey.fill(0);
      }
    },

    async open(sealed, kid) {
      if (isLegacySealed(sealed)) {
        throw new Error(`Signing key ${kid} is not in a KMS envelope: run \`npm run admin -- keys migrate\``);
      }
      const [, ivText, dataText] = sealed.encryptedPrivateJwk.split('.');
      if (!ivText || !dataText) throw new Error(`Signing key ${kid}: unknown envelope format`);
      const dataKey = await dataKeys.decrypt(Buffer.from(sealed.wrappedDataKey!, 'base64'), keyContext(names, kid));
      try {
        const data = Buffer.from(dataText, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(ivText, 'base64url'));
        decipher.setAAD(Buffer.from(kid, 'utf8'));
        decipher.setAuthTag(data.subarray(data.length - 16));
        return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
      } finally {
        dataKey.fill(0);
      }
    },
  };
}
