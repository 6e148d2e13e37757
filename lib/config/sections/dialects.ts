// Configuration of the compatibility dialects: which documented foreign APIs this deployment serves.
import { DIALECTS } from '../../domain/dialects.ts';
import { namesFrom } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const dialectsSection = defineSection({
  name: 'dialects',
  variables: {
    enabledDialects: variable('ENABLED_DIALECTS', {
      kind: namesFrom(DIALECTS, { noun: 'dialects', knownWord: 'known', caseInsensitive: true, allWords: true }),
      fallback: [...DIALECTS],
      description: 'compatibility dialects to serve (lib/routes/compat/)',
    }),
  },
  shape: (values) => values,
});

export type DialectsConfig = ReturnType<typeof dialectsSection.read>;
export const DIALECTS_VARIABLES = dialectsSection.variableNames;

/** The enabled compatibility dialects, read once per environment. */
export const dialectsConfig = (env: Env = process.env): DialectsConfig => dialectsSection.read(env);
