// The API token format: recognisable prefix, 256-bit secret, embedded ids, and a checksum that
// refuses every mistyped or made-up token before any database read.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_TOKEN_LENGTH, API_TOKEN_PREFIX, newApiToken, parseApiToken } from '../../../lib/tokens/api-token-format.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('API token format', () => {
  it('round-trips the owner and token ids, with the prefix and a fixed length', () => {
    const userId = randomUUID();
    const { token, tokenId } = newApiToken(userId);
    expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
    expect(token).toHaveLength(API_TOKEN_LENGTH);
    expect(token).toMatch(/^authsvc_[0-9A-Za-z]+$/);
    expect(parseApiToken(token)).toEqual({ userId, tokenId });
  });

  it('never issues the same secret twice', () => {
    const userId = randomUUID();
    const tokens = new Set(Array.from({ length: 1000 }, () => newApiToken(userId).token));
    expect(tokens.size).toBe(1000);
  });

  it('refuses any single-character change, anywhere in the token', () => {
    const { token } = newApiToken(randomUUID());
    fc.assert(
      fc.property(fc.integer({ min: API_TOKEN_PREFIX.length, max: token.length - 1 }), fc.constantFrom(...BASE62), (index, char) => {
        fc.pre(token[index] !== char);
        const mutated = token.slice(0, index) + char + token.slice(index + 1);
        expect(parseApiToken(mutated)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses arbitrary strings, truncations and extensions without throwing', () => {
    const { token } = newApiToken(randomUUID());
    expect(parseApiToken(token.slice(0, -1))).toBeUndefined();
    expect(parseApiToken(`${token}0`)).toBeUndefined();
    expect(parseApiToken(token.replace(API_TOKEN_PREFIX, 'ghp_xxxx'))).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(parseApiToken(API_TOKEN_PREFIX + text)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});
