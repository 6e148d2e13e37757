// Every section at once: the transitional `getConfig()` with the old flat `Config` shape, composed
// from the section readers, and the list of sections that the docs, the serverless.yml check and
// `npm start`'s validation walk. A function that imports this file bundles every section; new code
// imports the section readers it needs from lib/config/sections/ instead.

import type { Dialect } from '../domain/dialects.ts';
import { ConfigError, type ConfigProblem } from '../domain/errors.ts';
import type { ProfileField } from '../domain/profile.ts';
import type { Service } from '../domain/services.ts';
import type { Env } from './section.ts';
import { abuseSection } from './sections/abuse.ts';
import { accountsSection } from './sections/accounts.ts';
import { apiTokensSection } from './sections/api-tokens.ts';
import { awsSection } from './sections/aws.ts';
import { dialectsSection } from './sections/dialects.ts';
import { httpSection } from './sections/http.ts';
import { keysSection } from './sections/keys.ts';
import { loggingSection } from './sections/logging.ts';
import { mailSection } from './sections/mail.ts';
import { type Argon2Params, passwordsSection } from './sections/passwords.ts';
import { sessionsSection } from './sections/sessions.ts';
import { siteSection } from './sections/site.ts';
import { tableSection } from './sections/table.ts';
import { tokensSection } from './sections/tokens.ts';

export { DIALECTS, type Dialect } from '../domain/dialects.ts';
export { PROFILE_FIELDS, type ProfileField } from '../domain/profile.ts';
export { DEFAULT_SERVICES, type Service } from '../domain/services.ts';
export type { Env } from './section.ts';
export type { Argon2Params } from './sections/passwords.ts';

/** Every section, in the order the docs list them. */
export const SECTIONS = [
  siteSection,
  keysSection,
  tokensSection,
  sessionsSection,
  apiTokensSection,
  accountsSection,
  passwordsSection,
  abuseSection,
  mailSection,
  httpSection,
  dialectsSection,
  tableSection,
  awsSection,
  loggingSection,
] as const;

export interface Config {
  tableName: string;
  region: string;
  dynamodbEndpoint: string | undefined;
  sesEndpoint: string | undefined;
  sesFrom: string;
  publicUrl: string;
  issuer: string;
  clientId: string;
  keyEncryptionSecret: string;
  accessTokenTtlSeconds: number;
  accessTokenAudience: string;
  refreshTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  serviceTokenTtlSeconds: number;
  services: Service[];
  apiTokens: { defaultTtlSeconds: number; maxTtlSeconds: number; maxPerUser: number };
  /** The name mails and pages show. */
  productName: string;
  resetTokenTtlSeconds: number;
  verifyTokenTtlSeconds: number;
  /** Refuse logins until the email address is verified. */
  requireVerifiedEmail: boolean;
  enabledDialects: Dialect[];
  /** The `aud` the Lambda authorizer accepts: the access-token audience or one service id. */
  authorizerAudience: string;
  requiredProfileFields: ProfileField[];
  argon2: Argon2Params;
  keyCacheSeconds: number;
  /** Failed-login throttling per account (OWASP ASVS V6.3, NIST SP 800-63B section 5.2.2). */
  loginThrottle: { maxFailures: number; windowSeconds: number; maxWaitSeconds: number };
  /** Requests per minute from one source IP to login, register, forgot-password and service-token; 0 = off. */
  ipRateLimitPerMinute: number;
  /** Browser origins allowed to call the API (CORS); empty = no cross-origin access. */
  corsOrigins: string[];
  /**
   * Forgot-password and verification-resend answer no sooner than this (ms), so the mail sent for a
   * real account does not make its answer slower than the one for an unknown address.
   */
  mailRequestMinMs: number;
}

/** Reads every section the old Config covers; throws one ConfigError naming every bad variable. */
function readAll(env: Env) {
  const problems: ConfigProblem[] = [];
  // Afresh, as the old loadConfig did: callers (tests, admin commands) pass changed environments.
  const read = <Out>(section: { load(env: Env): Out }): Out => {
    try {
      return section.load(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined as Out;
    }
  };
  const sections = {
    aws: read(awsSection),
    table: read(tableSection),
    site: read(siteSection),
    keys: read(keysSection),
    tokens: read(tokensSection),
    sessions: read(sessionsSection),
    apiTokens: read(apiTokensSection),
    accounts: read(accountsSection),
    passwords: read(passwordsSection),
    abuse: read(abuseSection),
    mail: read(mailSection),
    http: read(httpSection),
    dialects: read(dialectsSection),
  };
  if (problems.length) throw new ConfigError(problems);
  return sections;
}

/** Parses and validates a configuration from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): Config {
  const { aws, table, site, keys, tokens, sessions, apiTokens, accounts, passwords, abuse, mail, http, dialects } = readAll(env);
  return {
    ...table,
    region: aws.region,
    ...mail,
    ...site,
    ...keys,
    ...tokens,
    ...sessions,
    apiTokens,
    ...accounts,
    ...passwords,
    ...abuse,
    ...http,
    ...dialects,
  };
}

/** Where each field of Config comes from: the one section that declares it. */
const FIELDS = {
  tableName: (env) => tableSection.read(env).tableName,
  dynamodbEndpoint: (env) => tableSection.read(env).dynamodbEndpoint,
  region: (env) => awsSection.read(env).region,
  sesEndpoint: (env) => mailSection.read(env).sesEndpoint,
  sesFrom: (env) => mailSection.read(env).sesFrom,
  mailRequestMinMs: (env) => mailSection.read(env).mailRequestMinMs,
  publicUrl: (env) => siteSection.read(env).publicUrl,
  issuer: (env) => siteSection.read(env).issuer,
  productName: (env) => siteSection.read(env).productName,
  keyEncryptionSecret: (env) => keysSection.read(env).keyEncryptionSecret,
  keyCacheSeconds: (env) => keysSection.read(env).keyCacheSeconds,
  accessTokenTtlSeconds: (env) => tokensSection.read(env).accessTokenTtlSeconds,
  accessTokenAudience: (env) => tokensSection.read(env).accessTokenAudience,
  clientId: (env) => tokensSection.read(env).clientId,
  serviceTokenTtlSeconds: (env) => tokensSection.read(env).serviceTokenTtlSeconds,
  services: (env) => tokensSection.read(env).services,
  authorizerAudience: (env) => tokensSection.read(env).authorizerAudience,
  refreshTokenTtlSeconds: (env) => sessionsSection.read(env).refreshTokenTtlSeconds,
  refreshReuseGraceSeconds: (env) => sessionsSection.read(env).refreshReuseGraceSeconds,
  apiTokens: (env) => apiTokensSection.read(env),
  resetTokenTtlSeconds: (env) => accountsSection.read(env).resetTokenTtlSeconds,
  verifyTokenTtlSeconds: (env) => accountsSection.read(env).verifyTokenTtlSeconds,
  requireVerifiedEmail: (env) => accountsSection.read(env).requireVerifiedEmail,
  requiredProfileFields: (env) => accountsSection.read(env).requiredProfileFields,
  argon2: (env) => passwordsSection.read(env).argon2,
  loginThrottle: (env) => abuseSection.read(env).loginThrottle,
  ipRateLimitPerMinute: (env) => abuseSection.read(env).ipRateLimitPerMinute,
  corsOrigins: (env) => httpSection.read(env).corsOrigins,
  enabledDialects: (env) => dialectsSection.read(env).enabledDialects,
} satisfies { [K in keyof Config]: (env: Env) => Config[K] };

/**
 * A Config whose fields read their section at first use: a function reads (and validates) only the
 * sections it touches, so a variable it never reads cannot stop its cold start. A bad section still
 * fails at its first read, naming every bad variable of that section.
 */
export function lazyConfig(env: Env = process.env): Config {
  const config = {} as Config;
  for (const [field, read] of Object.entries(FIELDS) as [keyof Config, (env: Env) => unknown][]) {
    Object.defineProperty(config, field, { enumerable: true, get: () => read(env) });
  }
  return config;
}

let cached: Config | undefined;

/** The process-wide configuration; each section is parsed at its first use (sections cache per environment). */
export function getConfig(): Config {
  cached ??= lazyConfig();
  return cached;
}
