// Configuration of accounts: which profile fields registration requires, whether logins wait for a
// verified email address, and how long reset and verification links live.
import { PROFILE_FIELDS } from '../../domain/profile.ts';
import { flag, namesFrom, wholeNumber } from '../kinds.ts';
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
  },
  shape: (values) => values,
});

export type AccountsConfig = ReturnType<typeof accountsSection.read>;
export const ACCOUNTS_VARIABLES = accountsSection.variableNames;

/** Registration, verification and reset settings, read once per environment. */
export const accountsConfig = (env: Env = process.env): AccountsConfig => accountsSection.read(env);
