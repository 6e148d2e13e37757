// Usernames and email addresses: the form we store, the rules a new one must pass, and the key two
// of them are compared by. The rules as built are written up in SECURITY.md, "Identifiers".
//
// Every identifier is first put in Unicode NFKC and trimmed, and only then checked, so what is
// checked is what is stored, compared, put in tokens and mailed to: "ceo﹫corp.example" (a small
// form variant of "@") is checked as "ceo@corp.example", never stored unchecked.
//
// Usernames follow PRECIS UsernameCaseMapped (RFC 8265 3.3/3.4) with these differences, each
// stricter or needed by what exists:
// - NFKC instead of NFC (RFC 8265 3.3.2 step 4): it includes the width mapping of step 1 and also
//   folds the compatibility look-alikes ("ﬁ", "ℌ", "①") that NFC would keep as distinct names; it is
//   also what accounts were keyed by before, so their keys carry over.
// - The characters allowed are a subset of the IdentifierClass (RFC 8264 9.1): letters, decimal
//   digits and combining marks that follow one, plus ". _ - @ +". The punctuation is exactly
//   Django's UnicodeUsernameValidator (^[\w.@+-]+$), which the TCAP and miniSASS dialects mirror and
//   whose names EclecticIQ users log in with (often an email address); IdentifierClass would also
//   admit "( ) , < > ' \"" and the rest of ASCII punctuation, which we refuse.
// - Comparison is by full case folding (Unicode CaseFolding.txt, ./case-folding.ts), not by
//   toLowerCase (RFC 8265 3.3.2 step 3), so "straße" and "STRASSE" are one name; the key is
//   Unicode's compatibility caseless match (Unicode 16 §3.13, D146).
// - Mixed scripts are refused (UTS #39 "Highly Restrictive", ./scripts.ts), which PRECIS leaves to
//   the application (RFC 8264 12.5). The Bidi Rule of RFC 8265 3.3.2 step 5 is not applied: a
//   right-to-left name cannot mix in a left-to-right script anyway.
import { domainToASCII } from 'node:url';
import { foldCase } from './case-folding.ts';
import { scriptMixture } from './scripts.ts';

/** The form stored and shown: NFKC, without surrounding white space; case as typed. */
export function canonicalIdentifier(text: string): string {
  return text.normalize('NFKC').trim();
}

/**
 * The key usernames are compared and claimed by: equal for "Jane", "ＪＡＮＥ" and "jane", and for
 * "straße" and "STRASSE". Unicode D146 (compatibility caseless match), with NFKC at the end so the
 * key is short; NFKD forms are equal exactly when their NFKC forms are.
 */
export function normaliseUsername(username: string): string {
  return caselessKey(canonicalIdentifier(username));
}

/** Unicode D146, compatibility caseless match: NFKD(toCasefold(NFKD(toCasefold(NFD(text))))), kept in NFKC. */
function caselessKey(text: string): string {
  return foldCase(foldCase(text.normalize('NFD')).normalize('NFKD')).normalize('NFKC');
}

/**
 * The key addresses are compared and claimed by: the local part case-folded (every major provider
 * treats it case-insensitively), the domain in its ASCII (punycode) form, which is lowercase, so
 * "Jane@Bücher.example" and "jane@xn--bcher-kva.example" are one address. A domain that has no
 * ASCII form (only stored accounts from before these rules can have one) is case-folded instead.
 */
export function normaliseEmail(email: string): string {
  const address = canonicalIdentifier(email);
  const at = address.lastIndexOf('@');
  if (at < 0) return caselessKey(address);
  const domain = address.slice(at + 1);
  return `${caselessKey(address.slice(0, at))}@${asciiDomain(domain) || caselessKey(domain)}`;
}

/**
 * The keys accounts were claimed by before these rules (NFKC, trimmed, String#toLowerCase). Still
 * read, so accounts created then keep working; `admin migrate-identifiers` adds the new keys.
 */
export function legacyIdentifierKey(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/** A rule a new identifier must pass, and what to tell a client who breaks it. */
export interface IdentifierRule {
  test: (canonical: string) => boolean;
  message: string;
}

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 150;
const LETTERS_DIGITS_PUNCTUATION = /^[\p{L}\p{Nd}\p{M}._@+-]+$/u;
/** A combining mark must extend a letter or digit: not begin the name or follow punctuation. */
const STRAY_MARK = /(?:^|[._@+-])\p{M}/u;

/** The rules of a new username, on its canonical form (canonicalIdentifier), in the order they are told. */
export const USERNAME_RULES: readonly IdentifierRule[] = [
  { test: (name) => [...name].length >= USERNAME_MIN, message: `Use at least ${USERNAME_MIN} characters.` },
  { test: (name) => [...name].length <= USERNAME_MAX, message: `Use at most ${USERNAME_MAX} characters.` },
  { test: (name) => LETTERS_DIGITS_PUNCTUATION.test(name), message: 'Use only letters, digits and @ . + - _ characters.' },
  { test: (name) => !STRAY_MARK.test(name), message: 'An accent or other combining mark must follow a letter or digit.' },
  {
    test: (name) => scriptMixture(name) === 'single',
    message: 'Use letters of one script (Japanese, Chinese and Korean may mix theirs, and Latin with them).',
  },
];

/** The first rule `canonical` breaks, as a message; undefined when it is a valid new username. */
export function usernameProblem(canonical: string): string | undefined {
  return USERNAME_RULES.find((rule) => !rule.test(canonical))?.message;
}

// RFC 5321 4.1.2 Mailbox = Local-part "@" Domain, with the Local-part a Dot-string (RFC 5322 atext
// atoms joined by single dots) and the Domain a dotted sequence of letter-digit-hyphen labels (no
// address literals, no Quoted-string: those admit spaces, "<", ">", "," and '"', and SES refuses
// non-ASCII local parts). Stricter than RFC 5321 in one way, as before: the domain needs a dot and
// its last label a letter, so "jane@localhost" and "jane@127.0.0.1" are refused.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.(?=[A-Za-z0-9-]*[A-Za-z])${LABEL}$`);
/** RFC 5321 4.5.3.1.3: a path is at most 256 octets, its angle brackets included. */
export const EMAIL_MAX = 254;
/** RFC 5321 4.5.3.1.1 and 4.5.3.1.2. */
const LOCAL_PART_MAX = 64;
const DOMAIN_MAX = 255;

/**
 * The domain in ASCII (IDNA, UTS #46 via node:url); '' when it has none. Only letters, marks,
 * digits, dots and hyphens go to domainToASCII: it would also percent-decode and map other dots.
 */
function asciiDomain(domain: string): string {
  // Lowercased first: UTS #46 maps "ß" but not always its capital "ẞ" (IDNA2008 keeps ß apart from ss).
  const lower = domain.toLowerCase();
  if (/^[\x21-\x7e]*$/.test(lower)) return lower;
  return /^[\p{L}\p{M}\p{Nd}.-]+$/u.test(lower) ? domainToASCII(lower) : '';
}

/** The parts of a valid address, its domain in ASCII; undefined when it is not one. */
function mailbox(address: string): { local: string; domain: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.slice(0, at);
  const domain = asciiDomain(address.slice(at + 1));
  if (!LOCAL_PART.test(local) || local.length > LOCAL_PART_MAX) return undefined;
  if (!domain || domain.length > DOMAIN_MAX || !DOMAIN.test(domain)) return undefined;
  if (local.length + 1 + domain.length > EMAIL_MAX) return undefined;
  return { local, domain };
}

/** The rules of an address given to us, on its canonical form, in the order they are told. */
export const EMAIL_RULES: readonly IdentifierRule[] = [
  { test: (address) => address.length > 0, message: 'This field must not be empty.' },
  { test: (address) => address.length <= EMAIL_MAX, message: `Use at most ${EMAIL_MAX} characters.` },
  { test: (address) => mailbox(address) !== undefined, message: 'Enter a valid email address.' },
];

/** The first rule `canonical` breaks, as a message; undefined when it is a valid address. */
export function emailProblem(canonical: string): string | undefined {
  return EMAIL_RULES.find((rule) => !rule.test(canonical))?.message;
}

/**
 * The address as SES must be given it: the domain in punycode, the local part as is. Undefined
 * for an address that breaks the rules (an account stored before them may hold one).
 */
export function mailboxForSending(address: string): string | undefined {
  const parts = mailbox(canonicalIdentifier(address));
  return parts && `${parts.local}@${parts.domain}`;
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
