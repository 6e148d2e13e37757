// Configuration of the signing keys: how long an instance trusts the keys it has cached, and the
// retired KEY_ENCRYPTION_SECRET, which only `keys migrate` reads (to re-wrap keys made before KMS).
import { secret, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const keysSection = defineSection({
  name: 'keys',
  variables: {
    keyEncryptionSecret: variable('KEY_ENCRYPTION_SECRET', {
      kind: secret(32),
      fallback: undefined as string | undefined,
      defaultText: 'none: not needed (read only by `npm run admin -- keys migrate`)',
      description: 'the secret of deployments made before KMS; `keys migrate` re-wraps the keys it encrypted, then it can be forgotten',
      adminOnly: true,
    }),
    keyCacheSeconds: variable('KEY_CACHE_SECONDS', {
      kind: wholeNumber(0, 3_600),
      fallback: 300,
      description: 'how long an instance trusts its cached signing keys, seconds',
    }),
  },
  shape: (values) => values,
});

export type KeysConfig = ReturnType<typeof keysSection.read>;
export const KEYS_VARIABLES = keysSection.variableNames;

/** The key cache lifetime (and the legacy secret, for `keys migrate`), read once per environment. */
export const keysConfig = (env: Env = process.env): KeysConfig => keysSection.read(env);
