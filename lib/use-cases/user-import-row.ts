// One line of an `admin import` file (a TransferRow, lib/domain/user-transfer.ts) checked with the
// registration rules and turned into what is stored, or the list of every reason it is refused.
// Pure: no I/O, so the rules are unit-tested line by line.
import { canonicalIdentifier, EMAIL_RULES, fitsInKey, USERNAME_RULES } from '../domain/identity.ts';
import { PROFILE_FIELDS, type ProfileField } from '../domain/profile.ts';
import { UNUSABLE_PASSWORD_HASH } from '../domain/user-transfer.ts';
import { type FirebaseScryptParams, firebaseScryptHash, hashFormat } from './user-import-hashes.ts';

/** A row that passed: the stored forms of its fields. */
export interface ImportRow {
  username: string;
  email: string;
  emailVerified: boolean;
  /** The row's hash as given (or built from Firebase's hash and salt), or UNUSABLE_PASSWORD_HASH for null. */
  passwordHash: string;
  /** The hash format's name (hashFormat), or 'none' for null: the account_imported event's hash_format. */
  hashFormat: string;
  profile: Partial<Record<ProfileField, string>>;
  permissions: string[];
  /** ISO 8601 UTC, when the row gave one. */
  createdAt?: string;
  /** String(id), when the row gave one. */
  externalId?: string;
  /** The row's id when it is a positive safe integer (a number, or its decimal string): Django's pk, kept as User.number. */
  number?: number;
  disabled: boolean;
}

export type RowVerdict = { ok: true; row: ImportRow } | { ok: false; reasons: string[] };

export interface RowRules {
  /** REQUIRED_PROFILE_FIELDS: what registration demands, an import demands too. */
  requiredProfileFields: readonly ProfileField[];
  /** `--firebase-scrypt`: rows may then carry password_salt. */
  firebaseScrypt?: FirebaseScryptParams;
}

const ROW_FIELDS = new Set<string>([
  'username',
  'email',
  'email_verified',
  'password_hash',
  'password_salt',
  'permissions',
  'created_at',
  'id',
  'disabled',
  ...PROFILE_FIELDS,
]);
/** As `admin grant` (lib/admin/permissions.ts): plain identifiers like "reports:read", nothing else belongs in a token claim. */
const PERMISSION = /^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$/;
/** Longer than any real hash (argon2 with a 1 KiB salt is < 1500): a bound on what a login will parse. */
const MAX_HASH_LENGTH = 2048;
const MAX_ID_LENGTH = 256;
const PROFILE_MAX = 255;
const MAX_PERMISSIONS = 100;
/** RFC 3339 / ISO 8601 date-time with an offset or Z (a bare date is not an instant). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DECIMAL_ID = /^[1-9]\d{0,15}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The row's integer id, when it has one: positive and safe (Django's AutoField pks are). */
export function integerId(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  if (typeof id === 'string' && DECIMAL_ID.test(id)) {
    const value = Number(id);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  return undefined;
}

/** Parses and checks one line; every problem is named, so one pass over a file says all that is wrong. */
export function checkImportLine(line: string, rules: RowRules): RowVerdict {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reasons: ['not valid JSON'] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reasons: ['not a JSON object'] };
  return checkImportRow(value as Record<string, unknown>, rules);
}

export function checkImportRow(raw: Record<string, unknown>, rules: RowRules): RowVerdict {
  const reasons: string[] = [];
  // Typo safety: "emial" must not import an account without its address.
  for (const field of Object.keys(raw)) if (!ROW_FIELDS.has(field)) reasons.push(`unknown field "${field}"`);

  const identifier = (field: 'username' | 'email', ruleSet: typeof USERNAME_RULES): string | undefined => {
    const given = raw[field];
    if (typeof given !== 'string') {
      reasons.push(given === undefined ? `${field}: required` : `${field}: must be a string`);
      return undefined;
    }
    const canonical = canonicalIdentifier(given);
    const broken = ruleSet.find((rule) => !rule.test(canonical));
    if (broken) reasons.push(`${field}: ${broken.message}`);
    else if (!fitsInKey(canonical)) reasons.push(`${field}: too long once normalised`);
    return canonical;
  };
  const username = identifier('username', USERNAME_RULES);
  const email = identifier('email', EMAIL_RULES);

  const flag = (field: 'email_verified' | 'disabled'): boolean => {
    const given = raw[field];
    if (given === undefined) return false;
    if (typeof given !== 'boolean') reasons.push(`${field}: must be true or false`);
    return given === true;
  };
  const emailVerified = flag('email_verified');
  const disabled = flag('disabled');

  const { passwordHash, format } = checkHash(raw, rules, reasons);

  const profile: ImportRow['profile'] = {};
  for (const field of PROFILE_FIELDS) {
    const given = raw[field];
    if (given === undefined || given === null) {
      if (rules.requiredProfileFields.includes(field)) reasons.push(`${field}: required (REQUIRED_PROFILE_FIELDS)`);
      continue;
    }
    if (typeof given !== 'string') {
      reasons.push(`${field}: must be a string`);
      continue;
    }
    const trimmed = given.trim();
    if (trimmed.length > PROFILE_MAX) reasons.push(`${field}: use at most ${PROFILE_MAX} characters`);
    else if (trimmed) profile[field] = trimmed;
    else if (rules.requiredProfileFields.includes(field)) reasons.push(`${field}: required (REQUIRED_PROFILE_FIELDS)`);
  }

  const permissions = checkPermissions(raw.permissions, reasons);
  const createdAt = checkCreatedAt(raw.created_at, reasons);

  let externalId: string | undefined;
  let number: number | undefined;
  if (raw.id !== undefined && raw.id !== null) {
    if (typeof raw.id === 'number') {
      number = integerId(raw.id);
      if (number === undefined) reasons.push('id: a number must be a positive whole number (or give the id as a string)');
      else externalId = String(number);
    } else if (typeof raw.id === 'string' && raw.id.length > 0 && raw.id.length <= MAX_ID_LENGTH && raw.id.trim() === raw.id) {
      externalId = raw.id;
      number = integerId(raw.id);
    } else {
      reasons.push(`id: a positive whole number or a string of 1 to ${MAX_ID_LENGTH} characters without surrounding spaces`);
    }
  }

  if (reasons.length) return { ok: false, reasons };
  return {
    ok: true,
    row: {
      username: username!,
      email: email!,
      emailVerified,
      passwordHash,
      hashFormat: format,
      profile,
      permissions,
      ...(createdAt ? { createdAt } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
      ...(number !== undefined ? { number } : {}),
      disabled,
    },
  };
}

/** Django's unusable passwords: is_password_usable() is false for any hash that starts with "!" (django.contrib.auth.hashers). */
const DJANGO_UNUSABLE = /^!/;

function checkHash(raw: Record<string, unknown>, rules: RowRules, reasons: string[]): { passwordHash: string; format: string } {
  const hash = raw.password_hash;
  const salt = raw.password_salt;
  const none = { passwordHash: UNUSABLE_PASSWORD_HASH, format: 'none' };
  if (salt !== undefined && !rules.firebaseScrypt) {
    reasons.push('password_salt: only with --firebase-scrypt (a Firebase export)');
    return none;
  }
  if (hash === null) {
    if (salt !== undefined) reasons.push('password_salt: given without a password_hash');
    return none;
  }
  if (hash === undefined) {
    reasons.push('password_hash: required (null for an account without a usable password)');
    return none;
  }
  if (typeof hash !== 'string') {
    reasons.push('password_hash: must be a string or null');
    return none;
  }
  if (hash.length > MAX_HASH_LENGTH) {
    reasons.push(`password_hash: longer than ${MAX_HASH_LENGTH} characters`);
    return none;
  }
  if (rules.firebaseScrypt && salt !== undefined) {
    if (typeof salt !== 'string' || !BASE64.test(salt) || !BASE64.test(hash)) {
      reasons.push('password_salt, password_hash: a Firebase row carries both in base64');
      return none;
    }
    const built = firebaseScryptHash(rules.firebaseScrypt, hash, salt);
    const builtFormat = hashFormat(built);
    // Parameters or a salt outside the limits (lib/passwords/hash-limits.ts): login could never verify it.
    if (builtFormat === undefined)
      reasons.push('password_hash, password_salt: not a Firebase scrypt hash this service can verify (docs/migration.md gives the limits)');
    return { passwordHash: built, format: builtFormat ?? 'none' };
  }
  // Django's make_password(None): "!" and 40 random characters, a password nobody has.
  if (DJANGO_UNUSABLE.test(hash)) return none;
  const format = hashFormat(hash);
  // Never the hash itself in the reason: the rejects file must not spread it.
  if (format === undefined) reasons.push('password_hash: not a format this service can verify (docs/migration.md lists them)');
  return { passwordHash: hash, format: format ?? 'none' };
}

function checkPermissions(given: unknown, reasons: string[]): string[] {
  if (given === undefined || given === null) return [];
  if (!Array.isArray(given) || given.length > MAX_PERMISSIONS) {
    reasons.push(`permissions: a list of at most ${MAX_PERMISSIONS} names`);
    return [];
  }
  const bad = given.filter((permission) => typeof permission !== 'string' || !PERMISSION.test(permission));
  if (bad.length) reasons.push('permissions: names of letters, digits and : . _ / - (at most 128 characters)');
  return [...new Set(given.filter((permission): permission is string => typeof permission === 'string'))];
}

function checkCreatedAt(given: unknown, reasons: string[]): string | undefined {
  if (given === undefined || given === null) return undefined;
  const time = typeof given === 'string' && ISO_INSTANT.test(given) ? Date.parse(given) : Number.NaN;
  if (Number.isNaN(time)) {
    reasons.push('created_at: an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z');
    return undefined;
  }
  return new Date(time).toISOString();
}
