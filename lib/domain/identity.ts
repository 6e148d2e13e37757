// How usernames and emails are compared: after Unicode NFKC normalisation and lower-casing, so
// "Jane", "JANE" and the full-width "Ｊａｎｅ" are one account name.

export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/** The local part is case-insensitive in practice (every major provider treats it so). */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** A pragmatic address check: one @, a dotted domain, no spaces; the mailbox itself is proven by the verification mail. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * DynamoDB keys hold at most 2048 bytes (partition) and 1024 (sort). Login names become keys after
 * NFKC normalisation, which can multiply a string (U+FDFA alone is 18 characters, 33 bytes), so a
 * name is bounded by its normalised size too, not only by its length. 1024 leaves room for prefixes.
 */
export const MAX_KEY_TEXT_BYTES = 1024;

/** Whether `text`, normalised as usernames and emails are (above), fits in a table key. */
export function fitsInKey(text: string): boolean {
  return Buffer.byteLength(text.normalize('NFKC'), 'utf8') <= MAX_KEY_TEXT_BYTES;
}
