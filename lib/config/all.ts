// Every section at once: the transitional `getConfig()` with the old flat `Config` shape, composed
// from the section readers, and the list of sections that the docs, the serverless.yml check and
// `npm start`'s validation walk. A function that imports this file bundles every section; new code
// imports the section readers it needs from lib/config/sections/ instead.

import type { Dialect } from '../domain/dialects.ts';
import { ConfigError, type ConfigProblem } from '../domain/errors.ts';
import type { ProfileField } from '../domain/profile.ts';
import type { Service } from '../domain/services.ts';
import { lazily } from '../support/lazily.ts';
import type { Env } from './section.ts';
import { abuseSection } from './sections/abuse.ts';
import { accountsSection } from './sections/accounts.ts';
import { apiTokensSection } from './sections/api-tokens.ts';
import { awsSection } from './sections/aws.ts';
import { dialectsSection } from './sections/dialects.ts';
import { type EventsConfig, eventsSection } from './sections/events.ts';
import { httpSection } from './sections/http.ts';
import { keysSection } from './sections/keys.ts';
import { kmsSection } from './sections/kms.ts';
import { loggingSection } from './sections/logging.ts';
import { mailSection } from './sections/mail.ts';
import { type MfaConfig, mfaSection } from './sections/mfa.ts';
import { type MigrationConfig, migrationSection } from './sections/migration.ts';
import { type OAuthConfig, oauthSection } from './sections/oauth.ts';
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
  kmsSection,
  tokensSection,
  sessionsSection,
  oauthSection,
  mfaSection,
  eventsSection,
  migrationSection,
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
  /** The KMS key that wraps the signing keys' data keys; only signing needs it. */
  kmsKeyId: string | undefined;
  kmsEndpoint: string | undefined;
  /** The service and stage names in every signing key's KMS encryption context. */
  keyContext: { service: string; stage: string };
  accessTokenTtlSeconds: number;
  accessTokenAudience: string;
  refreshTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  serviceTokenTtlSeconds: number;
  /** Seconds past `exp` (and before `nbf`) our own JWTs are still accepted: skew between our own clocks. */
  tokenClockLeewaySeconds: number;
  services: Service[];
  apiTokens: { defaultTtlSeconds: number; maxTtlSeconds: number; maxPerUser: number };
  /** The name mails and pages show. */
  productName: string;
  resetTokenTtlSeconds: number;
  verifyTokenTtlSeconds: number;
  /** Refuse logins until the email address is verified. */
  requireVerifiedEmail: boolean;
  enabledDialects: Dialect[];
  /** miniSASS refresh: simplejwt's reusable refresh tokens, or rotation with reuse detection (SECURITY.md). */
  miniSassRefresh: 'reusable' | 'rotate';
  /** The `aud` the Lambda authorizer accepts: the access-token audience or one service id. */
  authorizerAudience: string;
  requiredProfileFields: ProfileField[];
  argon2: Argon2Params;
  keyCacheSeconds: number;
  /** Failed-login throttling per client kind and login name (OWASP ASVS V6.3, NIST SP 800-63B section 5.2.2), and device proofs. */
  loginThrottle: { maxFailures: number; windowSeconds: number; maxWaitSeconds: number; dailyMaxFailures: number; deviceProofTtlSeconds: number };
  /** Requests per minute from one source IP to login, register, forgot-password and service-token; 0 = off. */
  ipRateLimitPerMinute: number;
  /** Browser origins allowed to call the API (CORS); empty = no cross-origin access. */
  corsOrigins: string[];
  /**
   * Forgot-password and verification-resend answer no sooner than this (ms), so the mail sent for a
   * real account does not make its answer slower than the one for an unknown address.
   */
  mailRequestMinMs: number;
  /** What registering a taken email answers: a 409 naming it, or the answer of a new registration. */
  registrationDisclosure: 'conflict' | 'email';
  /** Reset mails, and verification mails, one address may receive per clock hour (each counted apart). */
  mailPerAddressPerHour: number;
  /** The OAuth 2.1 / OpenID Connect provider: registration, code, ID token and browser session lifetimes, login page links. */
  oauth: OAuthConfig;
  /** Multi-factor authentication: policy, dialects, step-up age, WebAuthn relying party. */
  mfa: MfaConfig;
  /** Security events: how long they are kept. */
  events: EventsConfig;
  /** Lazy migration from a legacy system (docs/migration.md); off without MIGRATE_FROM_URL. */
  migration: MigrationConfig;
}

/** The sections a Config is made of, by the name its fields are read from. */
const CONFIG_SECTIONS = {
  aws: awsSection,
  table: tableSection,
  site: siteSection,
  keys: keysSection,
  kms: kmsSection,
  tokens: tokensSection,
  sessions: sessionsSection,
  oauth: oauthSection,
  mfa: mfaSection,
  events: eventsSection,
  migration: migrationSection,
  apiTokens: apiTokensSection,
  accounts: accountsSection,
  passwords: passwordsSection,
  abuse: abuseSection,
  mail: mailSection,
  http: httpSection,
  dialects: dialectsSection,
};
type Sections = typeof CONFIG_SECTIONS;
type SectionValues = { [K in keyof Sections]: ReturnType<Sections[K]['load']> };

/** Where each field of Config comes from: the one section that declares it. */
const FIELDS = {
  tableName: (s) => s.table.tableName,
  dynamodbEndpoint: (s) => s.table.dynamodbEndpoint,
  region: (s) => s.aws.region,
  sesEndpoint: (s) => s.mail.sesEndpoint,
  sesFrom: (s) => s.mail.sesFrom,
  mailRequestMinMs: (s) => s.mail.mailRequestMinMs,
  mailPerAddressPerHour: (s) => s.mail.mailPerAddressPerHour,
  publicUrl: (s) => s.site.publicUrl,
  issuer: (s) => s.site.issuer,
  productName: (s) => s.site.productName,
  kmsKeyId: (s) => s.kms.kmsKeyId,
  kmsEndpoint: (s) => s.kms.kmsEndpoint,
  keyContext: (s) => ({ service: s.kms.keyContextService, stage: s.kms.keyContextStage }),
  keyCacheSeconds: (s) => s.keys.keyCacheSeconds,
  accessTokenTtlSeconds: (s) => s.tokens.accessTokenTtlSeconds,
  accessTokenAudience: (s) => s.tokens.accessTokenAudience,
  clientId: (s) => s.tokens.clientId,
  serviceTokenTtlSeconds: (s) => s.tokens.serviceTokenTtlSeconds,
  tokenClockLeewaySeconds: (s) => s.tokens.tokenClockLeewaySeconds,
  services: (s) => s.tokens.services,
  authorizerAudience: (s) => s.tokens.authorizerAudience,
  refreshTokenTtlSeconds: (s) => s.sessions.refreshTokenTtlSeconds,
  refreshReuseGraceSeconds: (s) => s.sessions.refreshReuseGraceSeconds,
  apiTokens: (s) => s.apiTokens,
  resetTokenTtlSeconds: (s) => s.accounts.resetTokenTtlSeconds,
  verifyTokenTtlSeconds: (s) => s.accounts.verifyTokenTtlSeconds,
  requireVerifiedEmail: (s) => s.accounts.requireVerifiedEmail,
  requiredProfileFields: (s) => s.accounts.requiredProfileFields,
  argon2: (s) => s.passwords.argon2,
  loginThrottle: (s) => s.abuse.loginThrottle,
  ipRateLimitPerMinute: (s) => s.abuse.ipRateLimitPerMinute,
  corsOrigins: (s) => s.http.corsOrigins,
  enabledDialects: (s) => s.dialects.enabledDialects,
  miniSassRefresh: (s) => s.dialects.miniSassRefresh,
  registrationDisclosure: (s) => s.accounts.registrationDisclosure,
  oauth: (s) => s.oauth,
  mfa: (s) => s.mfa,
  events: (s) => s.events,
  migration: (s) => s.migration,
} satisfies { [K in keyof Config]: (sections: SectionValues) => Config[K] };

const FIELD_NAMES = Object.keys(FIELDS) as (keyof Config)[];

/** Reads every section afresh (callers such as tests and admin commands pass changed environments); one ConfigError names every bad variable. */
function readAll(env: Env): SectionValues {
  const problems: ConfigProblem[] = [];
  const values = {} as Record<string, unknown>;
  for (const [name, section] of Object.entries(CONFIG_SECTIONS)) {
    try {
      values[name] = section.load(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return values as SectionValues;
}

/** Parses and validates a configuration from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): Config {
  const sections = readAll(env);
  return Object.fromEntries(FIELD_NAMES.map((field) => [field, FIELDS[field](sections)])) as unknown as Config;
}

/**
 * A Config whose fields read their section at first use: a function reads (and validates) only the
 * sections it touches, so a variable it never reads cannot stop its cold start. A bad section still
 * fails at its first read, naming every bad variable of that section.
 */
export function lazyConfig(env: Env = process.env): Config {
  const readers = Object.fromEntries(Object.entries(CONFIG_SECTIONS).map(([name, section]) => [name, () => section.read(env)]));
  const sections = lazily(readers as { [K in keyof SectionValues]: () => SectionValues[K] });
  return lazily(Object.fromEntries(FIELD_NAMES.map((field) => [field, () => FIELDS[field](sections)])) as { [K in keyof Config]: () => Config[K] });
}

let cached: Config | undefined;

/** The process-wide configuration; each section is parsed at its first use (sections cache per environment). */
export function getConfig(): Config {
  cached ??= lazyConfig();
  return cached;
}
