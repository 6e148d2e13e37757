// The old at-rest encryption of private signing keys (format `v1.`), kept only so that `keys migrate`
// (lib/admin/key-migration.ts) can read keys made before KMS envelopes: AES-256-GCM under a key
// derived from KEY_ENCRYPTION_SECRET with HKDF, the key id bound as associated data. Nothing that
// runs in a Lambda imports this file; encryptPrivateKey remains so tests can build an old key set.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const LEGACY_VERSION = 'v1';
const VERSION = LEGACY_VERSION;

function aesKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'auth-service/signing-keys', 'private-jwk-v1', 32));
}

export function encryptPrivateKey(plaintext: string, kid: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secret), iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, iv.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** Throws when the secret is wrong or the data was tampered with (GCM authentication fails). */
export function decryptPrivateKey(encrypted: string, kid: string, secret: string): string {
  const [version, ivText, dataText] = encrypted.split('.');
  if (version !== VERSION || !ivText || !dataText) throw new Error('Unknown encrypted key format');
  const data = Buffer.from(dataText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(secret), Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(kid, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}
