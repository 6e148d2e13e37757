// Checks a whole environment before anything starts (`npm start`, scripts/check-config.ts): every
// section is read, and every bad variable is reported with its reason, instead of a stack that
// starts and then fails every request.
import type { ConfigProblem } from '../domain/errors.ts';
import { SECTIONS } from './all.ts';
import type { Env } from './section.ts';

/** Every problem of every section in `env`, one per bad variable and rule; never throws. */
export function environmentProblems(env: Env = process.env): ConfigProblem[] {
  return SECTIONS.flatMap((section) => {
    try {
      return section.problems(env);
    } catch (error) {
      // A section's own rules should never throw; if one does, say where rather than stop here.
      return section.variableNames.map((variable) => ({ variable, problem: `could not be checked (${(error as Error)?.message ?? String(error)})` }));
    }
  });
}

/**
 * Every problem in `env` as one line each ("ACCESS_TOKEN_TTL must be between 60 and 86400, got 5");
 * empty when the configuration is valid. Never throws.
 */
export function validateEnvironment(env: Env = process.env): string[] {
  return environmentProblems(env).map(({ variable, problem }) => `${variable} ${problem}`);
}
