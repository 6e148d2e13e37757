// The local KMS endpoint's ciphertext blobs: a data key wrapped with AES-256-GCM under a local
// "KMS key", the encryption context bound as associated data, so Decrypt with any other context
// fails authentication exactly where real KMS answers InvalidCiphertextException. The blob names
// its key, as real KMS blobs do (Decrypt of a symmetric blob needs no KeyId).
// Layout: 'LKMS1' | key id length (1 byte) | key id | iv (12) | ciphertext | tag (16).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from('LKMS1');

/** The context in one canonical form: pairs sorted by name, so equal maps give equal bytes (as KMS treats them). */
export function canonicalContext(context: Record<string, string> | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

export function wrap(keyId: string, material: Buffer, plaintext: Buffer, context: Record<string, string> | undefined): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(canonicalContext(context));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, iv, data]);
}

/** The key id a blob was made under, or undefined if it is no blob of ours. */
export function blobKeyId(blob: Buffer): string | undefined {
  if (blob.length < MAGIC.length + 1 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = blob[MAGIC.length]!;
  if (blob.length < MAGIC.length + 1 + length + 12 + 16) return undefined;
  return blob.subarray(MAGIC.length + 1, MAGIC.length + 1 + length).toString('utf8');
}

/** Throws when the blob was tampered with or the context differs from the one it was wrapped with. */
export function unwrap(material: Buffer, blob: Buffer, context: Record<string, string> | undefined): Buffer {
  const start = MAGIC.length + 1 + blob[MAGIC.length]!;
  const iv = blob.subarray(start, start + 12);
  const data = blob.subarray(start + 12);
  const decipher = createDecipheriv('aes-256-gcm', material, iv);
  decipher.setAAD(canonicalContext(context));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}
