// Configuration of the signing keys: the secret that encrypts their private halves at rest, and how
// long an instance trusts the keys it has cached.
import { secret, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const keysSection = defineSection({
  name: 'keys',
  variables: {
    keyEncryptionSecret: variable('KEY_ENCRYPTION_SECRET', {
      kind: secret(32),
      fallback: undefined as string | undefined,
      defaultText: 'none: required (`npm start` generates one into `.data/`)',
      description: 'encrypts the private signing keys at rest',
    }),
    keyCacheSeconds: variable('KEY_CACHE_SECONDS', {
      kind: wholeNumber(0, 3_600),
      fallback: 300,
      description: 'how long an instance trusts its cached signing keys, seconds',
    }),
  },
  check(values, report, failed) {
    if (!failed.has('keyEncryptionSecret') && values.keyEncryptionSecret === undefined) {
      report('keyEncryptionSecret', 'is required (at least 32 characters)');
    }
  },
  // check() made sure the secret is there.
  shape: ({ keyEncryptionSecret, keyCacheSeconds }) => ({ keyEncryptionSecret: keyEncryptionSecret as string, keyCacheSeconds }),
});

export type KeysConfig = ReturnType<typeof keysSection.read>;
export const KEYS_VARIABLES = keysSection.variableNames;

/** The key encryption secret and key cache lifetime, read once per environment. */
export const keysConfig = (env: Env = process.env): KeysConfig => keysSection.read(env);
