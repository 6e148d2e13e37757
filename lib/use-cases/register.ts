// Registering an account: validate, check the password policy, hash, and claim the username and
// email atomically (409 when either is taken, even under concurrent registrations).
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { Dependencies } from '../app.ts';
import { toIsoUtc } from '../support/clock.ts';
import { PROFILE_FIELDS, type ProfileField } from '../config.ts';
import { ValidationError } from '../domain/errors.ts';
import { textField } from '../http/fields.ts';
import { check } from '../http/validate.ts';
import { looksLikeEmail } from '../domain/identity.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblems } from '../passwords.ts';
import type { User } from '../domain/user.ts';

const username = textField('username').check(
  z.trim(),
  z.minLength(3, { error: 'Use at least 3 characters.' }),
  z.maxLength(150, { error: 'Use at most 150 characters.' }),
  z.regex(/^[\p{L}\p{N}@.+_-]+$/u, { error: 'Use only letters, digits and @ . + - _ characters.' }),
);

const email = textField('email').check(
  z.trim(),
  z.maxLength(254, { error: 'Use at most 254 characters.' }),
  z.refine(looksLikeEmail, { error: 'Enter a valid email address.' }),
);

/** Length limits are enforced in passwordProblems (in characters); this only bounds the input size. */
const password = textField('password').check(
  z.maxLength(MAX_PASSWORD_LENGTH * 4, { error: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }),
);

const profileField = (field: string, required: boolean) => {
  const value = textField(field).check(z.trim(), z.maxLength(255, { error: 'Use at most 255 characters.' }));
  return required ? value.check(z.minLength(1, { error: 'This field is required.' })) : z.optional(value);
};

/** The register body; REQUIRED_PROFILE_FIELDS decides which profile fields are mandatory. */
export function registerSchema(requiredProfileFields: readonly ProfileField[]) {
  const profile = Object.fromEntries(
    PROFILE_FIELDS.map((field) => [field, profileField(field, requiredProfileFields.includes(field))]),
    // Typed as optional for all: which ones are required is configuration, checked at run time.
  ) as unknown as Record<ProfileField, z.ZodMiniOptional<z.ZodMiniString>>;
  return z.strictObject({ username, email, password, ...profile });
}

export type RegisterInput = z.output<ReturnType<typeof registerSchema>>;

/**
 * Validates a registration body: the schema and the password policy together, so one 400 names
 * every bad field at once.
 */
export async function validateRegistration(body: unknown, schema: ReturnType<typeof registerSchema>): Promise<RegisterInput> {
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
  deps: Pick<Dependencies, 'users' | 'clock' | 'config'>,
  extras: Pick<User, 'additionalFields'> = {},
): Promise<User> {
  const now = toIsoUtc(deps.clock.now());
  const profile: User['profile'] = {};
  for (const field of PROFILE_FIELDS) {
    const value = input[field];
    if (value) profile[field] = value;
  }
  const user: User = {
    id: randomUUID(),
    username: input.username.normalize('NFKC'),
    email: input.email.normalize('NFKC'),
    emailVerified: false,
    profile,
    passwordHash: await hashPassword(input.password, deps.config.argon2),
    status: 'active',
    permissions: [],
    ...(extras.additionalFields !== undefined ? { additionalFields: extras.additionalFields } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await deps.users.create(user);
  return user;
}
