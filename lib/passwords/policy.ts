// The password rules for new passwords, per NIST SP 800-63B section 3.1.1.2: 8 to 128 characters,
// no composition rules, refused when common, never equal to the account name. Only functions that
// set new passwords import this file, so only their bundles carry the common-password dictionary.
import type { FieldError } from '../domain/errors.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './limits.ts';

let commonPasswords: Promise<Set<string>> | undefined;

/**
 * The zxcvbn-ts common-password dictionary (about 49,000 entries, of which about 18,000 are long
 * enough to pass the length rule). Loaded on first use, not at cold start.
 */
function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common/dist/passwords.json.mjs').then(
    (module: { default: string[] }) => new Set(module.default.filter((entry) => entry.length >= MIN_PASSWORD_LENGTH)),
  );
  return commonPasswords;
}

export async function isCommonPassword(password: string): Promise<boolean> {
  return (await loadCommonPasswords()).has(password.toLowerCase());
}

/** The password rules; an empty list means the password is acceptable. */
export async function passwordProblems(password: string, context: { username?: string; email?: string } = {}): Promise<FieldError[]> {
  const length = [...password].length; // characters, not UTF-16 units
  const problem = (message: string): FieldError[] => [{ field: 'password', message }];
  if (length < MIN_PASSWORD_LENGTH) return problem(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (length > MAX_PASSWORD_LENGTH) return problem(`Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  const lower = password.toLowerCase();
  if (lower === context.username?.toLowerCase() || lower === context.email?.toLowerCase()) {
    return problem('The password must not be your username or email address.');
  }
  if (await isCommonPassword(password)) {
    return problem('This password is too common; choose one that is harder to guess.');
  }
  return [];
}
