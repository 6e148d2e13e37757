// The rules one `admin import` row is held to (lib/use-cases/user-import-row.ts): registration's
// rules for names and profile, a hash we can verify or null, and every problem named at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNUSABLE_PASSWORD_HASH } from '../../../lib/domain/user-transfer.ts';
import { checkImportLine, checkImportRow, integerId } from '../../../lib/use-cases/user-import-row.ts';

const ARGON2 = '$argon2id$v=19$m=7168,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$8pG5MBwXYh7JH7ak3b9pDhN7hV7mR0mVbBv9Zx8r0uE';
const BCRYPT = '$2b$04$abcdefghijklmnopqrstuuJ7pn0yI6c8yF0bJrM5k3sQ2Xz9t1mWa';
const rules = { requiredProfileFields: [] as const };
const base = { username: 'jane', email: 'jane@example.com', password_hash: ARGON2 };

const reasons = (row: Record<string, unknown>, r: Parameters<typeof checkImportRow>[1] = rules) => {
  const verdict = checkImportRow(row, r);
  return verdict.ok ? [] : verdict.reasons;
};

describe('an import row', () => {
  it('passes with the fewest fields, and gets the defaults', () => {
    const verdict = checkImportRow(base, rules);
    expect(verdict).toEqual({
      ok: true,
      row: {
        username: 'jane',
        email: 'jane@example.com',
        emailVerified: false,
        passwordHash: ARGON2,
        hashFormat: 'argon2id',
        profile: {},
        permissions: [],
        disabled: false,
      },
    });
  });

  it('is stored in the canonical form registration stores (NFKC, trimmed)', () => {
    const verdict = checkImportRow({ ...base, username: ' ＪＡＮＥ ', email: 'jane﹫example.com' }, rules);
    expect(verdict.ok && verdict.row).toMatchObject({ username: 'JANE', email: 'jane@example.com' });
  });

  it('null password_hash means no usable password; bcrypt is recognised', () => {
    const none = checkImportRow({ ...base, password_hash: null }, rules);
    expect(none.ok && none.row).toMatchObject({ passwordHash: UNUSABLE_PASSWORD_HASH, hashFormat: 'none' });
    const bcrypt = checkImportRow({ ...base, password_hash: BCRYPT }, rules);
    expect(bcrypt.ok && bcrypt.row).toMatchObject({ passwordHash: BCRYPT, hashFormat: 'bcrypt' });
  });

  it.each([
    [{ id: 42 }, { externalId: '42', number: 42 }],
    [{ id: '42' }, { externalId: '42', number: 42 }],
    [{ id: '042' }, { externalId: '042' }],
    [{ id: 'auth0|abc' }, { externalId: 'auth0|abc' }],
    [{ id: '9007199254740993' }, { externalId: '9007199254740993' }],
  ])('id %j is kept as %j', (given, expected) => {
    const verdict = checkImportRow({ ...base, ...given }, rules);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect({ externalId: verdict.row.externalId, ...(verdict.row.number !== undefined ? { number: verdict.row.number } : {}) }).toEqual(expected);
  });

  it.each([
    [{ id: 0 }, /^id: a number must be a positive whole number/],
    [{ id: 1.5 }, /^id: a number must be a positive whole number/],
    [{ id: 2 ** 53 }, /^id: a number must be a positive whole number/],
    [{ id: '' }, /^id: a positive whole number or a string/],
    [{ id: ' x' }, /^id: a positive whole number or a string/],
    [{ id: true }, /^id: a positive whole number or a string/],
    [{ username: 'ab' }, /^username: Use at least 3 characters\.$/],
    [{ username: 'jaήe' }, /^username: Use letters of one script/],
    [{ username: 7 }, /^username: must be a string$/],
    [{ email: 'jane@localhost' }, /^email: Enter a valid email address\.$/],
    [{ email: undefined }, /^email: required$/],
    [{ password_hash: 'plaintext-password' }, /^password_hash: not a format/],
    [{ password_hash: 12 }, /^password_hash: must be a string or null$/],
    [{ password_hash: `$2b$04$${'a'.repeat(3000)}` }, /^password_hash: longer than 2048/],
    [{ created_at: '2024-05-01' }, /^created_at:/],
    [{ created_at: '2024-13-01T00:00:00Z' }, /^created_at:/],
    [{ permissions: 'admin' }, /^permissions: a list/],
    [{ permissions: ['a b'] }, /^permissions: names/],
    [{ first_name: 3 }, /^first_name: must be a string$/],
    [{ country: 'x'.repeat(256) }, /^country: use at most 255 characters$/],
    [{ disabled: 'false' }, /^disabled: must be true or false$/],
    [{ Username: 'jane' }, /^unknown field "Username"$/],
  ])('bad row %# is refused with its one reason', (change, reason) => {
    const row = { ...base, ...change } as Record<string, unknown>;
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete row[key];
    const found = reasons(row);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(reason);
  });

  it('names every problem of a row at once', () => {
    expect(reasons({ username: '!', email: 'x', password_hash: 'nope', extra: 1 })).toHaveLength(4);
  });

  it('demands the profile fields REQUIRED_PROFILE_FIELDS names, as registration does', () => {
    const required = { requiredProfileFields: ['country', 'organisation_name'] as const };
    expect(reasons({ ...base, country: ' ' }, required)).toEqual([
      'organisation_name: required (REQUIRED_PROFILE_FIELDS)',
      'country: required (REQUIRED_PROFILE_FIELDS)',
    ]);
    expect(reasons({ ...base, country: 'NL', organisation_name: 'Acme' }, required)).toEqual([]);
  });

  it('takes password_salt only with --firebase-scrypt, and then builds the self-contained hash', () => {
    // The test vector of github.com/firebase/scrypt's README.
    const salted = {
      ...base,
      password_hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
      password_salt: '42xEC+ixf3L2lw==',
    };
    expect(reasons(salted)).toEqual(['password_salt: only with --firebase-scrypt (a Firebase export)']);
    const firebaseScrypt = {
      signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
      saltSeparator: 'Bw==',
      rounds: 8,
      memCost: 14,
    };
    const verdict = checkImportRow(salted, { ...rules, firebaseScrypt });
    expect(verdict.ok && verdict.row.hashFormat).toBe('firebase-scrypt');
    expect(verdict.ok && verdict.row.passwordHash).toContain('$42xEC+ixf3L2lw$');
    expect(reasons({ ...salted, password_salt: 'not base64!' }, { ...rules, firebaseScrypt })).toEqual([
      'password_salt, password_hash: a Firebase row carries both in base64',
    ]);
    // Parameters beyond the limits (scrypt N·r·p ≤ 2^22, lib/passwords/hash-limits.ts): login could never verify it, so the row is refused.
    expect(reasons(salted, { ...rules, firebaseScrypt: { ...firebaseScrypt, memCost: 21 } })).toEqual([
      'password_hash, password_salt: not a Firebase scrypt hash this service can verify (docs/migration.md gives the limits)',
    ]);
  });

  it('a line that is not a JSON object is refused as such', () => {
    expect(checkImportLine('{"username":', rules)).toEqual({ ok: false, reasons: ['not valid JSON'] });
    expect(checkImportLine('null', rules)).toEqual({ ok: false, reasons: ['not a JSON object'] });
    expect(checkImportLine('"jane"', rules)).toEqual({ ok: false, reasons: ['not a JSON object'] });
  });

  it('never throws, and never repeats the hash in a reason, whatever the line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.record({ username: fc.string(), email: fc.string(), password_hash: fc.string({ minLength: 12 }) }).map((row) => JSON.stringify(row)),
        ),
        (line) => {
          const verdict = checkImportLine(line, rules);
          if (verdict.ok) return;
          const hash = (() => {
            try {
              return (JSON.parse(line) as { password_hash?: unknown })?.password_hash;
            } catch {
              return undefined;
            }
          })();
          if (typeof hash === 'string' && hash.length >= 12) expect(verdict.reasons.join(' ')).not.toContain(hash);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('integerId: positive safe integers only', () => {
    expect([integerId(1), integerId('17'), integerId(0), integerId(-1), integerId('1e3'), integerId(Number.MAX_SAFE_INTEGER + 1)]).toEqual([
      1,
      17,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
