// Configuration of personal API tokens. Opentact's minimum lifetime is 60 s; the default and the
// cap follow GitHub's personal tokens.
import { wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

const TEN_YEARS = 10 * 365 * 86_400;
const DEFAULT_TTL = 30 * 86_400;

export const apiTokensSection = defineSection({
  name: 'api-tokens',
  variables: {
    defaultTtlSeconds: variable('API_TOKEN_DEFAULT_TTL', {
      kind: wholeNumber(60, TEN_YEARS),
      fallback: undefined as number | undefined,
      defaultText: `\`${DEFAULT_TTL}\` (30 days), or \`API_TOKEN_MAX_TTL\` when lower`,
      description: 'lifetime of an API token created without `ttl`, seconds; at most `API_TOKEN_MAX_TTL`',
    }),
    maxTtlSeconds: variable('API_TOKEN_MAX_TTL', {
      kind: wholeNumber(60, TEN_YEARS),
      fallback: 365 * 86_400,
      description: 'the longest `ttl` an API token may have, seconds (1 year by default)',
    }),
    maxPerUser: variable('API_TOKEN_MAX_PER_USER', {
      kind: wholeNumber(1, 10_000),
      fallback: 100,
      description: 'live API tokens per user',
    }),
  },
  check({ defaultTtlSeconds, maxTtlSeconds }, report, failed) {
    if (failed.has('maxTtlSeconds') || defaultTtlSeconds === undefined) return;
    if (defaultTtlSeconds > maxTtlSeconds) report('defaultTtlSeconds', `must not exceed API_TOKEN_MAX_TTL (${maxTtlSeconds})`);
  },
  shape: ({ defaultTtlSeconds, maxTtlSeconds, maxPerUser }) => ({
    defaultTtlSeconds: defaultTtlSeconds ?? Math.min(DEFAULT_TTL, maxTtlSeconds),
    maxTtlSeconds,
    maxPerUser,
  }),
});

export type ApiTokensConfig = ReturnType<typeof apiTokensSection.read>;
export const API_TOKENS_VARIABLES = apiTokensSection.variableNames;

/** API-token lifetimes and the per-user cap, read once per environment. */
export const apiTokensConfig = (env: Env = process.env): ApiTokensConfig => apiTokensSection.read(env);
