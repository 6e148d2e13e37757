// Configuration of the JWTs we sign: access tokens (lifetime, audience, client id), service tokens
// for downstream services, and which audience the Lambda authorizer accepts.
import { DEFAULT_SERVICES } from '../../domain/services.ts';
import { text, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';
import { serviceRegistry } from '../services-kind.ts';

export const tokensSection = defineSection({
  name: 'tokens',
  variables: {
    accessTokenTtlSeconds: variable('ACCESS_TOKEN_TTL', {
      kind: wholeNumber(60, 86_400),
      fallback: 1800,
      description: 'access-token lifetime, seconds',
    }),
    accessTokenAudience: variable('ACCESS_TOKEN_AUDIENCE', {
      kind: text(),
      fallback: 'auth-service',
      description: 'the `aud` of access tokens',
    }),
    clientId: variable('CLIENT_ID', {
      kind: text(),
      fallback: 'auth-service',
      description: 'the `client_id` claim',
    }),
    serviceTokenTtlSeconds: variable('SERVICE_TOKEN_TTL', {
      kind: wholeNumber(30, 3_600),
      fallback: 300,
      description: 'service-token lifetime, seconds',
    }),
    services: variable('SERVICES', {
      kind: serviceRegistry(),
      fallback: DEFAULT_SERVICES,
      description: 'downstream services users get service tokens for: `id` (the token `aud`), `name`, optional `permission` a user needs',
    }),
    authorizerAudience: variable('AUTHORIZER_AUDIENCE', {
      kind: text('`ACCESS_TOKEN_AUDIENCE` or a service id from `SERVICES`'),
      fallback: undefined as string | undefined,
      defaultText: '`ACCESS_TOKEN_AUDIENCE`',
      description: 'what the Lambda authorizer accepts: access tokens, or one service id’s service tokens',
    }),
    tokenClockLeewaySeconds: variable('TOKEN_CLOCK_LEEWAY_SECONDS', {
      kind: wholeNumber(0, 30),
      fallback: 5,
      description:
        'how long past `exp` (and before `nbf`) our own access and service tokens are still accepted, seconds: clock skew between our own Lambdas only, so `expires_at` is when a token stops working, to within this',
    }),
  },
  check({ accessTokenAudience, services, authorizerAudience }, report, failed) {
    if (failed.has('services')) return;
    if (services.some((service) => service.id === accessTokenAudience)) {
      report('services', `must not reuse the access-token audience "${accessTokenAudience}" as a service id`);
    }
    if (authorizerAudience !== undefined && authorizerAudience !== accessTokenAudience && !services.some((s) => s.id === authorizerAudience)) {
      report('authorizerAudience', `must be the access-token audience or a service id from SERVICES, got "${authorizerAudience}"`);
    }
  },
  shape: ({ authorizerAudience, ...values }) => ({ ...values, authorizerAudience: authorizerAudience ?? values.accessTokenAudience }),
});

export type TokensConfig = ReturnType<typeof tokensSection.read>;
export const TOKENS_VARIABLES = tokensSection.variableNames;

/** Access and service tokens and the authorizer's audience, read once per environment. */
export const tokensConfig = (env: Env = process.env): TokensConfig => tokensSection.read(env);
