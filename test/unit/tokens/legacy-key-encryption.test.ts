import { describe, expect, it } from 'vitest';
import { decryptPrivateKey, encryptPrivateKey } from '../../../lib/tokens/legacy-key-encryption.ts';

const secret = 'a'.repeat(40);

describe('private key encryption at rest', () => {
  it('round-trips and never stores the plaintext', () => {
    const encrypted = encryptPrivateKey('{"d":"secret-part"}', 'kid-1', secret);
    expect(encrypted).not.toContain('secret-part');
    expect(decryptPrivateKey(encrypted, 'kid-1', secret)).toBe('{"d":"secret-part"}');
  });

  it('uses a fresh IV each time', () => {
    expect(encryptPrivateKey('same', 'kid', secret)).not.toBe(encryptPrivateKey('same', 'kid', secret));
  });

  it('refuses a wrong secret, another kid, or tampered data', () => {
    const encrypted = encryptPrivateKey('payload', 'kid-1', secret);
    expect(() => decryptPrivateKey(encrypted, 'kid-1', 'b'.repeat(40))).toThrow();
    expect(() => decryptPrivateKey(encrypted, 'kid-2', secret)).toThrow();
    const [v, iv, data] = encrypted.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => decryptPrivateKey([v, iv, flipped.toString('base64url')].join('.'), 'kid-1', secret)).toThrow();
  });
});
