// node:crypto's scrypt with the memory allowance its parameters need (Node refuses more than
// 32 MiB by default), shared by the PHC scrypt and Firebase scrypt formats.
import { scrypt } from 'node:crypto';
import { SCRYPT_MAX_WORK } from './hash-limits.ts';

export interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

/** Whether the parameters are valid for scrypt and within SCRYPT_MAX_WORK (./hash-limits.ts). */
export function scryptCostAllowed({ ln, r, p }: ScryptCost): boolean {
  return ln >= 1 && ln <= 22 && r >= 1 && p >= 1 && 2 ** ln * r * p <= SCRYPT_MAX_WORK;
}

export function scryptKey(password: string | Buffer, salt: Buffer, keyLength: number, { ln, r, p }: ScryptCost): Promise<Buffer> {
  const N = 2 ** ln;
  // OpenSSL needs 128·r·(N + p + 2) bytes; the margin covers its bookkeeping.
  const maxmem = 128 * r * (N + p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
