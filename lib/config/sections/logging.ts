// Configuration of logging. lib/support/log.ts reads LOG_LEVEL itself (it sits below this layer and
// falls back to info); it is declared here so that it is documented and `npm start` refuses a typo.
import { oneOf } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export const loggingSection = defineSection({
  name: 'logging',
  variables: {
    logLevel: variable('LOG_LEVEL', {
      kind: oneOf(LOG_LEVELS),
      fallback: 'info',
      description: 'the least severe level written to the log',
    }),
  },
  shape: (values) => values,
});

export type LoggingConfig = ReturnType<typeof loggingSection.read>;
export const LOGGING_VARIABLES = loggingSection.variableNames;

/** The log level, read once per environment. */
export const loggingConfig = (env: Env = process.env): LoggingConfig => loggingSection.read(env);
