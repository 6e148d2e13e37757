// Registering an account: validate, check the password policy, hash, and claim the username, the
// email and the integer id atomically (409 when either name is taken, even under concurrent
// registrations). What the caller hears about a taken email is ./registration.ts's business.
import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { PROFILE_FIELDS, type ProfileField } from '../domain/profile.ts';
import type { User } from '../domain/user.ts';
import { check } from '../domain/validation.ts';
import { hashPassword } from '../passwords/hashing.ts';
import { passwordProblems } from '../passwords/policy.ts';
import { toIsoUtc } from '../support/clock.ts';
import type { Dependencies } from './dependencies.ts';

/** A registration as the register schema (lib/routes/native/accounts.ts) outputs it. */
export type RegisterInput = { username: string; email: string; password: string } & Partial<Record<ProfileField, string | undefined>>;

/**
 * Validates a registration body: the schema and the password policy together, so one 400 names
 * every bad field at once.
 */
export async function validateRegistration(body: unknown, schema: z.ZodMiniType<RegisterInput>): Promise<RegisterInput> {
  const { data, errors } = check(schema, body);
  const fields = (body ?? {}) as Record<string, unknown>;
  if (typeof fields.password === 'string' && !errors.some((e) => e.field === 'password')) {
    const context = {
      username: typeof fields.username === 'string' ? fields.username : undefined,
      email: typeof fields.email === 'string' ? fields.email : undefined,
    };
    errors.push(...(await passwordProblems(fields.password, context)));
  }
  if (errors.length) throw new ValidationError(errors);
  return data!;
}

/** Creates the account; `input` has passed validateRegistration. */
export async function register(
  input: RegisterInput,
  deps: Pick<Dependencies, 'users' | 'userNumbers' | 'clock' | 'config'>,
  extras: Pick<User, 'additionalFields'> = {},
): Promise<User> {
  const user = await newAccount(input, deps, extras);
  await deps.users.create(user);
  return user;
}

/**
 * The account a registration would create, not yet stored: the password hashed and the integer id
 * (for the Django dialects) drawn from its counter meanwhile, so the counter costs no extra wait.
 */
export async function newAccount(
  input: RegisterInput,
  deps: Pick<Dependencies, 'userNumbers' | 'clock' | 'config'>,
  extras: Pick<User, 'additionalFields'> = {},
): Promise<User> {
  const now = toIsoUtc(deps.clock.now());
  const profile: User['profile'] = {};
  for (const field of PROFILE_FIELDS) {
    const value = input[field];
    if (value) profile[field] = value;
  }
  const [passwordHash, number] = await Promise.all([hashPassword(input.password, deps.config.argon2), deps.userNumbers.next()]);
  return {
    id: randomUUID(),
    number,
    username: input.username.normalize('NFKC'),
    email: input.email.normalize('NFKC'),
    emailVerified: false,
    profile,
    passwordHash,
    status: 'active',
    permissions: [],
    ...(extras.additionalFields !== undefined ? { additionalFields: extras.additionalFields } : {}),
    createdAt: now,
    updatedAt: now,
  };
}
