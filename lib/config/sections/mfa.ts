// Configuration of multi-factor authentication: whether every account must have a second factor,
// whether the compatibility dialects (which cannot ask for one) may still log such accounts in,
// how recent an authentication sensitive changes need (step-up), and the WebAuthn relying party.
import { oneOf, origins, text, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const MFA_POLICIES = ['optional', 'required'] as const;
export const MFA_DIALECT_MODES = ['refuse', 'allow'] as const;

export const mfaSection = defineSection({
  name: 'mfa',
  variables: {
    policy: variable('MFA_POLICY', {
      kind: oneOf(MFA_POLICIES),
      fallback: 'optional' as (typeof MFA_POLICIES)[number],
      description:
        '`optional`: users choose whether to enrol a second factor; `required`: a user without one must enrol one at their next login (hosted page or JSON API) before getting tokens',
    }),
    dialects: variable('MFA_DIALECTS', {
      kind: oneOf(MFA_DIALECT_MODES),
      fallback: 'refuse' as (typeof MFA_DIALECT_MODES)[number],
      description:
        'the compatibility dialects cannot ask for a second factor: `refuse` answers their own 401/403 naming MFA for an account that has one; `allow` lets the password alone in there (weaker: such tokens carry acr `aal1`)',
    }),
    stepUpMaxAgeSeconds: variable('STEP_UP_MAX_AGE', {
      kind: wholeNumber(60, 86_400),
      fallback: 600,
      description:
        'how recent (seconds) the sign-in must be, with the second factor when the account has one, to change or remove factors or regenerate recovery codes',
    }),
    webauthnRpId: variable('WEBAUTHN_RP_ID', {
      kind: text('a registrable domain such as example.com'),
      fallback: undefined as string | undefined,
      defaultText: 'the host name of `PUBLIC_URL`',
      description: "the WebAuthn relying party id passkeys are bound to (a registrable domain suffix of the pages' host); changing it orphans every passkey",
    }),
    webauthnOrigins: variable('WEBAUTHN_ORIGINS', {
      kind: origins(),
      fallback: undefined as string[] | undefined,
      defaultText: 'the origin of `PUBLIC_URL`',
      description: 'the origins (comma list) whose pages may register and use passkeys: the hosted pages and your own apps that call the JSON API',
    }),
  },
  shape: (values) => values,
});

export type MfaConfig = ReturnType<typeof mfaSection.read>;
export const MFA_VARIABLES = mfaSection.variableNames;

/** The MFA settings, read once per environment. */
export const mfaConfig = (env: Env = process.env): MfaConfig => mfaSection.read(env);
