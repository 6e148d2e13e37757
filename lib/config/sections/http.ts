// Configuration of the HTTP edge: which browser origins may call the API (CORS).
import { origins } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const httpSection = defineSection({
  name: 'http',
  variables: {
    corsOrigins: variable('CORS_ORIGINS', {
      kind: origins(),
      fallback: [],
      defaultText: 'empty (no cross-origin access)',
      description:
        'browser origins allowed to call the API: their requests get `Access-Control-Allow-Origin`, their preflights a `204`; never `Access-Control-Allow-Credentials`',
    }),
  },
  shape: (values) => values,
});

export type HttpConfig = ReturnType<typeof httpSection.read>;
export const HTTP_VARIABLES = httpSection.variableNames;

/** The CORS allowlist, read once per environment. */
export const httpConfig = (env: Env = process.env): HttpConfig => httpSection.read(env);
