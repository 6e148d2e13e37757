// Reading a legacy system's JSON answer, which we do not control: only strings (and integer ids)
// are taken, anything else counts as absent; and the claims of a JWT it issued, read without
// checking the signature (we got the token straight from the legacy system over MIGRATE_FROM_URL,
// so there is nothing to verify it against, and nothing in it is trusted beyond what that answer is).
import { PROFILE_FIELDS, type ProfileField } from '../domain/profile.ts';

export type JsonObject = Record<string, unknown>;

/** `value` when it is a JSON object, else an empty one. */
export const objectIn = (value: unknown): JsonObject => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {});

/** A non-blank string, trimmed; undefined otherwise. */
export function textIn(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** An id as text: a non-blank string, or an integer (Django's primary keys). */
export function idIn(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return textIn(value);
}

/** The first of `values` that is a non-blank string. */
export const firstText = (...values: unknown[]): string | undefined => values.map(textIn).find((v) => v !== undefined);
/** The first of `values` that is an id. */
export const firstId = (...values: unknown[]): string | undefined => values.map(idIn).find((v) => v !== undefined);
/** The first of `values` that is a boolean. */
export const firstBoolean = (...values: unknown[]): boolean | undefined => values.find((v): v is boolean => typeof v === 'boolean');

/** The profile fields named as ours in any of `sources` (the first source holding a field wins). */
export function profileIn(...sources: JsonObject[]): Partial<Record<ProfileField, string>> {
  const profile: Partial<Record<ProfileField, string>> = {};
  for (const field of PROFILE_FIELDS) {
    const value = firstText(...sources.map((source) => source[field]));
    if (value !== undefined) profile[field] = value;
  }
  return profile;
}

/** The string entries of a permissions list; undefined when there is none. */
export function permissionsIn(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '').map((entry) => entry.trim());
}

/** The claims of a JWT's payload, unverified (see the top of this file); empty when it is not a JWT. */
export function jwtClaims(token: string | undefined): JsonObject {
  const payload = token?.split('.')[1];
  if (!payload) return {};
  try {
    return objectIn(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return {};
  }
}

/** Whether `login` is an email address rather than a username (a username has no "@" in these dialects' examples). */
export const looksLikeEmail = (login: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(login);
