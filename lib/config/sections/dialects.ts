// Configuration of the compatibility dialects: which documented foreign APIs this deployment serves.
import { DIALECTS } from '../../domain/dialects.ts';
import { namesFrom, oneOf } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const dialectsSection = defineSection({
  name: 'dialects',
  variables: {
    enabledDialects: variable('ENABLED_DIALECTS', {
      kind: namesFrom(DIALECTS, { noun: 'dialects', knownWord: 'known', caseInsensitive: true, allWords: true }),
      fallback: [...DIALECTS],
      description: 'compatibility dialects to serve (lib/routes/compat/)',
    }),
    // simplejwt's default (ROTATE_REFRESH_TOKENS=False), which miniSASS keeps: its frontend stores
    // the refresh token of its login and sends that one at every refresh, so rotation would end its
    // session at the second refresh. The trade-off is in SECURITY.md.
    miniSassRefresh: variable('MINISASS_REFRESH', {
      kind: oneOf(['reusable', 'rotate'] as const),
      fallback: 'reusable' as 'reusable' | 'rotate',
      description:
        "miniSASS refresh/ and token/refresh/: `reusable` (simplejwt's default: the refresh token stays valid until it expires or its session ends, and the answer is {access}) or `rotate` (single use with reuse detection, as native /refresh; the answer adds the new refresh token)",
    }),
  },
  shape: (values) => values,
});

export type DialectsConfig = ReturnType<typeof dialectsSection.read>;
export const DIALECTS_VARIABLES = dialectsSection.variableNames;

/** The enabled compatibility dialects, read once per environment. */
export const dialectsConfig = (env: Env = process.env): DialectsConfig => dialectsSection.read(env);
