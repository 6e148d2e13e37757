// The shared field builders: login names bounded by their normalised size, and bodies with no fields.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { fitsInKey, MAX_KEY_TEXT_BYTES } from '../../../lib/domain/identity.ts';
import { check } from '../../../lib/domain/validation.ts';
import { loginField, noFields } from '../../../lib/routes/fields.ts';

describe('loginField', () => {
  const schema = z.strictObject({ username: loginField('username') });

  it('accepts names up to 254 characters whose NFKC form fits in a table key', () => {
    expect(check(schema, { username: 'jane' }).errors).toEqual([]);
    expect(check(schema, { username: '日'.repeat(254) }).errors).toEqual([]);
  });

  it('refuses empty, over-long, and NFKC-expanding names, by field', () => {
    expect(check(schema, { username: '' }).errors).toEqual([{ field: 'username', message: 'This field must not be empty.' }]);
    expect(check(schema, { username: 'a'.repeat(255) }).errors).toEqual([{ field: 'username', message: 'Use at most 254 characters.' }]);
    // 100 characters, 3,300 bytes once normalised.
    expect('\uFDFA'.repeat(100).normalize('NFKC').length).toBe(1800);
    expect(check(schema, { username: '\uFDFA'.repeat(100) }).errors).toEqual([
      { field: 'username', message: expect.stringContaining('too long once normalised') },
    ]);
    expect(check(schema, { username: 7 }).errors).toEqual([{ field: 'username', message: 'username must be a string.' }]);
  });

  it('measures the normalised form in UTF-8 bytes', () => {
    expect(fitsInKey('a'.repeat(MAX_KEY_TEXT_BYTES))).toBe(true);
    expect(fitsInKey('a'.repeat(MAX_KEY_TEXT_BYTES + 1))).toBe(false);
    expect(fitsInKey('é'.repeat(MAX_KEY_TEXT_BYTES / 2 + 1))).toBe(false);
  });
});

describe('noFields', () => {
  it('accepts an empty body and names every field of another', () => {
    expect(check(noFields, {}).errors).toEqual([]);
    expect(check(noFields, { a: 1, constructor: 2 }).errors).toEqual([
      { field: 'a', message: 'Unknown field.' },
      { field: 'constructor', message: 'Unknown field.' },
    ]);
  });
});
