// The local KMS's wrapping as an in-process DataKeys, for unit tests and the verify benchmark that
// run the real signer without any server: same blobs, same refusal of a wrong encryption context.
import { randomBytes } from 'node:crypto';
import type { DataKeys } from '../../lib/domain/signing-key.ts';
import { unwrap, wrap } from './blobs.ts';

/** Data keys wrapped under one random in-memory key; `decrypts` counts unwrap calls (tests of the once-per-key cache). */
export function inProcessDataKeys(): DataKeys & { decrypts: number; generated: number } {
  const material = randomBytes(32);
  const dataKeys = {
    decrypts: 0,
    generated: 0,
    async generate(context: Record<string, string>) {
      dataKeys.generated += 1;
      const plaintext = randomBytes(32);
      return { plaintext: new Uint8Array(plaintext), wrapped: new Uint8Array(wrap('in-process', material, plaintext, context)) };
    },
    async decrypt(wrapped: Uint8Array, context: Record<string, string>) {
      dataKeys.decrypts += 1;
      try {
        return new Uint8Array(unwrap(material, Buffer.from(wrapped), context));
      } catch {
        throw Object.assign(new Error(''), { name: 'InvalidCiphertextException' });
      }
    },
  };
  return dataKeys;
}
