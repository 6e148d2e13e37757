// Encrypts private signing keys at rest with AES-256-GCM. The AES key is derived from
// KEY_ENCRYPTION_SECRET with HKDF, and the key id is bound as associated data, so a ciphertext
// copied onto another key's item does not decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

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
