// Building blocks for request schemas, so every endpoint words its field errors the same way.
import * as z from 'zod/mini';
import { canonicalIdentifier, EMAIL_RULES, fitsInKey, type IdentifierRule, USERNAME_RULES } from '../domain/identity.ts';

/** A string field: "This field is required." when absent, "<field> must be a string." when not text. */
export function textField(field: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'This field is required.' : `${field} must be a string.`),
  });
}

/**
 * A whole number of seconds in [min, max], as a JSON number or, from a form, a digit string.
 * The messages name the field and the bound, e.g. "ttl must be at least 60 seconds."
 */
export function secondsField(field: string, min: number, max: number) {
  const notWhole = `${field} must be a whole number of seconds.`;
  return z.pipe(
    z.pipe(
      z.union([z.number(), z.string().check(z.regex(/^\s*-?\d{1,16}\s*$/, { error: notWhole }))], {
        error: (issue) => (issue.input === undefined ? 'This field is required.' : notWhole),
      }),
      z.transform((value: number | string) => Number(value)),
    ),
    z
      .int({ error: notWhole })
      .check(z.gte(min, { error: `${field} must be at least ${min} seconds.` }), z.lte(max, { error: `${field} must be at most ${max} seconds.` })),
  );
}

/** A body with no fields at all, for routes that take none: anything sent is refused by name. */
export const noFields = z.strictObject({});

/** A username or email to log in with: 1 to 254 characters that fit in a table key once normalised. */
export function loginField(field: string) {
  return textField(field).check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(254, { error: 'Use at most 254 characters.' }),
    z.refine(fitsInKey, { error: 'This is too long once normalised; use fewer or simpler characters.' }),
  );
}

/** A field put in NFKC and trimmed, then held to `rules` (lib/domain/identity.ts): what passes is what is stored. */
function identifierField(field: string, rules: readonly IdentifierRule[], description: string) {
  return z
    .pipe(
      textField(field),
      z.pipe(
        z.transform((value: string) => canonicalIdentifier(value)),
        z.string().check(...rules.map((rule) => z.refine<string>(rule.test, { error: rule.message, abort: true }))),
      ),
    )
    .register(z.globalRegistry, { description });
}

/** A new username: NFKC, then 3-150 letters/digits of one script and . _ - @ + (SECURITY.md, "Identifiers"). */
export function usernameField(field: string) {
  return identifierField(
    field,
    USERNAME_RULES,
    '3-150 letters, digits and . _ - @ +, in one script (Japanese, Chinese and Korean may mix theirs, and Latin with them), after Unicode NFKC. ' +
      'Compared by full case folding: "Straße" and "STRASSE" are one name.',
  );
}

/** An email address given to us: NFKC, then an RFC 5321 mailbox of at most 254 characters (SECURITY.md, "Identifiers"). */
export function emailField(field: string) {
  return identifierField(
    field,
    EMAIL_RULES,
    'An email address (RFC 5321 mailbox: no display name, comment, quotes or angle brackets), at most 254 characters after Unicode NFKC; ' +
      'international domains are accepted and mailed to in punycode. Compared case-insensitively.',
  );
}

/** A value built on first use and kept: a schema that depends on configuration is built at the first request, not at import. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
