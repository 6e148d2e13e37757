// Configuration of accounts: which profile fields registration requires, whether logins wait for a
// verified email address, how long reset and verification links live, and whether registration
// tells that an email address is taken.
import { PROFILE_FIELDS } from '../../domain/profile.ts';
import { flag, namesFrom, oneOf, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const accountsSection = defineSection({
  name: 'accounts',
  variables: {
    requiredProfileFields: variable('REQUIRED_PROFILE_FIELDS', {
      kind: namesFrom(PROFILE_FIELDS, { noun: 'fields', knownWord: 'allowed' }),
      fallback: [],
      description: 'profile fields registration requires, e.g. `organisation_type,organisation_name,country`',
    }),
    requireVerifiedEmail: variable('REQUIRE_VERIFIED_EMAIL', {
      kind: flag(),
      fallback: false,
      description: 'refuse logins until the email address is confirmed',
    }),
    resetTokenTtlSeconds: variable('RESET_TOKEN_TTL', {
      kind: wholeNumber(300, 86_400),
      fallback: 1800,
      description: 'password-reset link lifetime, seconds',
    }),
    verifyTokenTtlSeconds: variable('VERIFY_TOKEN_TTL', {
      kind: wholeNumber(300, 30 * 86_400),
      fallback: 86_400,
      description: 'verification link lifetime, seconds',
    }),
    registrationDisclosure: variable('REGISTRATION_DISCLOSURE', {
      kind: oneOf(['conflict', 'email'] as const),
      fallback: 'conflict' as 'conflict' | 'email',
      description:
        'what registering a taken email address answers: `conflict`, a 409 naming the field; `email`, the same answer as a new registration (202 "check your mailbox", no account data; logins then need a confirmed address) and a mail to the address\'s owner. A taken username is a 409 in both modes',
    }),
  },
  shape: (values) => values,
});

export type AccountsConfig = ReturnType<typeof accountsSection.read>;
export const ACCOUNTS_VARIABLES = accountsSection.variableNames;

/** Registration, verification and reset settings, read once per environment. */
export const accountsConfig = (env: Env = process.env): AccountsConfig => accountsSection.read(env);
