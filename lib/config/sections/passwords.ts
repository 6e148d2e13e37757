// Configuration of password hashing: argon2id's cost parameters (OWASP's minimum by default).
import { wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const passwordsSection = defineSection({
  name: 'passwords',
  variables: {
    memoryCost: variable('ARGON2_MEMORY_KIB', {
      kind: wholeNumber(7_168, 1_048_576),
      fallback: 19_456,
      description: 'argon2id memory cost, KiB (OWASP minimum)',
    }),
    timeCost: variable('ARGON2_ITERATIONS', {
      kind: wholeNumber(1, 20),
      fallback: 2,
      description: 'argon2id time cost',
    }),
    parallelism: variable('ARGON2_PARALLELISM', {
      kind: wholeNumber(1, 16),
      fallback: 1,
      description: 'argon2id lanes',
    }),
  },
  shape: (argon2): { argon2: Argon2Params } => ({ argon2 }),
});

export type PasswordsConfig = ReturnType<typeof passwordsSection.read>;
export const PASSWORDS_VARIABLES = passwordsSection.variableNames;

/** The argon2id parameters, read once per environment. */
export const passwordsConfig = (env: Env = process.env): PasswordsConfig => passwordsSection.read(env);
