// Passwords per NIST SP 800-63B: 8 to 128 characters, no composition rules, refused when common
// or breached, never equal to the account name. Hashed with argon2id with explicit parameters;
// hashes made with older parameters are upgraded at the next successful login.
import { hash, verify } from '@node-rs/argon2';
import type { Argon2Params } from './config/all.ts';
import type { FieldError } from './domain/errors.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...params });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a corrupt stored hash must not become a 500 or a way in
  }
}

/** True when the hash was made with other parameters than the current policy (or another algorithm). */
export function needsRehash(passwordHash: string, params: Argon2Params): boolean {
  const match = passwordHash.match(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
  if (!match) return true;
  return Number(match[1]) !== params.memoryCost || Number(match[2]) !== params.timeCost || Number(match[3]) !== params.parallelism;
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash to verify against when the account does not exist, so that an unknown user costs the
 * same argon2 work as a wrong password and timing does not reveal which accounts exist.
 */
export function dummyPasswordHash(params: Argon2Params): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`, params);
  return dummyHash;
}

let commonPasswords: Promise<Set<string>> | undefined;

/**
 * The zxcvbn-ts common-password dictionary (about 49,000 entries, of which about 18,000 are long
 * enough to pass the length rule). Loaded on first use, not at cold start.
 */
function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common/dist/passwords.json.mjs').then(
    (module: { default: string[] }) =>
      new Set(module.default.filter((entry) => entry.length >= MIN_PASSWORD_LENGTH)),
  );
  return commonPasswords;
}

export async function isCommonPassword(password: string): Promise<boolean> {
  return (await loadCommonPasswords()).has(password.toLowerCase());
}

/** The password rules; an empty list means the password is acceptable. */
export async function passwordProblems(
  password: string,
  context: { username?: string; email?: string } = {},
): Promise<FieldError[]> {
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
