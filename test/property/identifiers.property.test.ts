// Properties of canonical identifiers (lib/domain/identity.ts): canonicalisation is idempotent,
// what the schemas accept is stored in a form that passes them again, no accepted address carries
// < > , " or white space, and names equal under case folding (or width) claim one key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { canonicalIdentifier, legacyIdentifierKey, normaliseEmail, normaliseUsername, usernameProblem } from '../../lib/domain/identity.ts';
import { check } from '../../lib/domain/validation.ts';
import { emailField, usernameField } from '../../lib/routes/fields.ts';

const RUNS = { numRuns: 3000 };
const usernames = z.strictObject({ username: usernameField('username') });
const emails = z.strictObject({ email: emailField('email') });

/** Text likely to hit the edges: ASCII punctuation, white space, look-alikes, marks, full-width forms, ß, sigma. */
const tricky = fc.constantFrom(
  ...'aAzZ09._-@+<>,"\'() \t\n\u00A0\u3000\uFE6B\uFF20\uFF1C\uFF0CßẞσςΣſKİıаАοΟ山たカ\u0301\u0345\u200D\u202E\uFDFAﬃ①ǅᾼ'.split(''),
);
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: tricky, maxLength: 40 }));
const addressLike = fc
  .tuple(
    fc.string({ unit: tricky, minLength: 1, maxLength: 12 }),
    fc.constantFrom('@', '\uFE6B', '\uFF20'),
    fc.string({ unit: tricky, maxLength: 12 }),
    fc.constantFrom('.example', '.com', '.bücher', ''),
  )
  .map(([local, at, domain, tld]) => `${local}${at}${domain}${tld}`);
/** Valid names of mixed case, to vary the case of. */
const validNames = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZßẞ0123456789._-'.split('')), minLength: 3, maxLength: 30 })
  .filter((name) => usernameProblem(canonicalIdentifier(name)) === undefined);
const greekNames = fc.string({ unit: fc.constantFrom(...'αβγδεζηθικλμνξοπρσςτυφχψωΑΒΓΔΣΩ'.split('')), minLength: 3, maxLength: 20 });

describe('canonical identifiers', () => {
  it('canonicalisation and both comparison keys are idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(canonicalIdentifier(canonicalIdentifier(text))).toBe(canonicalIdentifier(text));
        expect(normaliseUsername(normaliseUsername(text))).toBe(normaliseUsername(text));
        expect(normaliseEmail(normaliseEmail(text))).toBe(normaliseEmail(text));
      }),
      RUNS,
    );
  });

  it('a username the schema accepts is stored in a form that passes the schema again, unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, validNames), (text) => {
        const { data } = check(usernames, { username: text });
        if (!data) return;
        expect(check(usernames, { username: data.username }).data).toEqual(data);
        expect(data.username).toBe(canonicalIdentifier(text));
      }),
      RUNS,
    );
  });

  it('an address the schema accepts is stored in a form that passes again, and carries none of < > , " or white space', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, addressLike), (text) => {
        const { data } = check(emails, { email: text });
        if (!data) return;
        expect(check(emails, { email: data.email }).data).toEqual(data);
        expect(data.email).not.toMatch(/[<>,"\s]/u);
        expect(data.email.length).toBeLessThanOrEqual(254);
      }),
      RUNS,
    );
  });

  it('names equal under case folding or width claim one key', () => {
    const variants = (name: string, flips: boolean[]) =>
      [...name].map((char, index) => (flips[index % flips.length] ? char.toUpperCase() : char.toLowerCase())).join('');
    const fullWidth = (name: string) => name.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(fc.oneof(validNames, greekNames), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (name, flips) => {
        const key = normaliseUsername(name);
        expect(normaliseUsername(variants(name, flips))).toBe(key);
        expect(normaliseUsername(name.toUpperCase())).toBe(key);
        expect(normaliseUsername(fullWidth(name))).toBe(key);
        expect(normaliseEmail(`${name}@Example.COM`)).toBe(normaliseEmail(`${variants(name, flips)}@example.com`));
      }),
      RUNS,
    );
  });

  it('an old-form key never finds another name: the key of a legacy key is the key of the name', () => {
    // The lookup reads the old key first (lib/store/identifier-claims.ts); this is why that is safe.
    fc.assert(
      fc.property(fc.oneof(anyText, validNames, greekNames), (text) => {
        const codes = [...text].map((char) => char.codePointAt(0)!.toString(16)).join(' ');
        expect(normaliseUsername(legacyIdentifierKey(text)), codes).toBe(normaliseUsername(text));
        expect(normaliseEmail(legacyIdentifierKey(text)), codes).toBe(normaliseEmail(text));
      }),
      RUNS,
    );
  });
});
