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
