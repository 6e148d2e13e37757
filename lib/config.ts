// Reads and validates the environment once per Lambda instance. Every variable, its default and its
// meaning is listed in the README's configuration table; a bad value stops the cold start with a
// message naming the variable instead of failing later in some request.
import { ConfigError } from './domain/errors.ts';
import { PROFILE_FIELDS, type ProfileField } from './domain/user.ts';

// The profile fields belong to the user record (lib/domain/user.ts); re-exported for existing readers.
export { PROFILE_FIELDS, type ProfileField };

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The documented APIs served verbatim by compatibility routes (see lib/compat/). */
export const DIALECTS = ['tcap', 'eclecticiq', 'opentact', 'minisass'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** A downstream service users can get short-lived service tokens for (TCAP's "requested_service"). */
export interface Service {
  /** The token audience (`aud`), e.g. "hash-verification". */
  id: string;
  /** The name clients send and see, e.g. "Hash Verification". */
  name: string;
  /** The permission a user needs for this service; absent means every active user. */
  permission?: string;
}

/** The local default: TCAP's one documented service, open to every active user. */
export const DEFAULT_SERVICES: Service[] = [{ id: 'hash-verification', name: 'Hash Verification' }];

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

type Env = Record<string, string | undefined>;

/** An unset and an empty variable both mean "use the default" (serverless.yml forwards ''). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, fallback?: string): string {
  const raw = read(env, name) ?? fallback;
  if (raw === undefined) throw new ConfigError(name, 'is required');
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${raw}"`);
  }
}

function profileFields(env: Env): ProfileField[] {
  const raw = read(env, 'REQUIRED_PROFILE_FIELDS');
  if (!raw) return [];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(PROFILE_FIELDS as readonly string[]).includes(name));
  if (unknown.length) {
    throw new ConfigError('REQUIRED_PROFILE_FIELDS', `names unknown fields ${unknown.join(', ')}; allowed: ${PROFILE_FIELDS.join(', ')}`);
  }
  return names as ProfileField[];
}

const SERVICE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function services(env: Env): Service[] {
  const raw = read(env, 'SERVICES');
  if (!raw) return DEFAULT_SERVICES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('SERVICES', 'must be a JSON array like [{"id":"hash-verification","name":"Hash Verification"}]');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('SERVICES', 'must be a JSON array');
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const { id, name, permission } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || !SERVICE_ID.test(id)) {
      throw new ConfigError('SERVICES', `entry ${index}: "id" must be lowercase letters, digits, ".", "_" or "-" (at most 64)`);
    }
    if (typeof name !== 'string' || !name.trim()) throw new ConfigError('SERVICES', `entry ${index}: "name" is required`);
    if (permission !== undefined && permission !== null && (typeof permission !== 'string' || !permission)) {
      throw new ConfigError('SERVICES', `entry ${index}: "permission" must be a non-empty string when given`);
    }
    // A service is found by id or by name, so neither may match another service's id or name.
    for (const key of new Set([id, name.trim().toLowerCase()])) {
      if (seen.has(key)) throw new ConfigError('SERVICES', `entry ${index}: "${key}" is listed twice`);
      seen.add(key);
    }
    return { id, name: name.trim(), ...(typeof permission === 'string' ? { permission } : {}) };
  });
}

function dialects(env: Env): Dialect[] {
  const raw = read(env, 'ENABLED_DIALECTS');
  if (raw === undefined || raw.toLowerCase() === 'all') return [...DIALECTS];
  if (raw.toLowerCase() === 'none') return [];
  const names = raw.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((name) => !(DIALECTS as readonly string[]).includes(name));
  if (unknown.length) throw new ConfigError('ENABLED_DIALECTS', `names unknown dialects ${unknown.join(', ')}; known: ${DIALECTS.join(', ')}, or all / none`);
  return names as Dialect[];
}

/** Opentact's minimum lifetime is 60 s; the default and the cap follow GitHub's personal tokens. */
function apiTokenLimits(env: Env): Config['apiTokens'] {
  const maxTtlSeconds = int(env, 'API_TOKEN_MAX_TTL', 365 * 86_400, 60, 10 * 365 * 86_400);
  const defaultTtlSeconds = int(env, 'API_TOKEN_DEFAULT_TTL', Math.min(30 * 86_400, maxTtlSeconds), 60, 10 * 365 * 86_400);
  if (defaultTtlSeconds > maxTtlSeconds) throw new ConfigError('API_TOKEN_DEFAULT_TTL', `must not exceed API_TOKEN_MAX_TTL (${maxTtlSeconds})`);
  return { defaultTtlSeconds, maxTtlSeconds, maxPerUser: int(env, 'API_TOKEN_MAX_PER_USER', 100, 1, 10_000) };
}

function origins(env: Env): string[] {
  const raw = read(env, 'CORS_ORIGINS');
  if (!raw) return [];
  return raw.split(',').map((origin) => origin.trim()).filter(Boolean).map((origin) => {
    if (origin === '*') return origin;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError('CORS_ORIGINS', `must list origins like https://app.example.com, got "${origin}"`);
    }
    if (parsed.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin (scheme://host[:port], no path)`);
    }
    return parsed.origin;
  });
}

/** Parses and validates a configuration from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): Config {
  const keyEncryptionSecret = read(env, 'KEY_ENCRYPTION_SECRET');
  if (!keyEncryptionSecret) throw new ConfigError('KEY_ENCRYPTION_SECRET', 'is required (at least 32 characters)');
  if (keyEncryptionSecret.length < 32) throw new ConfigError('KEY_ENCRYPTION_SECRET', 'must be at least 32 characters');

  // In AWS the API's own endpoint is passed by CloudFormation (API_ENDPOINT); PUBLIC_URL wins when set
  // (custom domain, or http://localhost:3000 locally).
  const apiEndpoint = read(env, 'API_ENDPOINT');
  const publicUrl = url(env, 'PUBLIC_URL', apiEndpoint?.startsWith('http') ? apiEndpoint : undefined);

  const accessTokenAudience = read(env, 'ACCESS_TOKEN_AUDIENCE') ?? 'auth-service';
  const serviceList = services(env);
  const authorizerAudience = read(env, 'AUTHORIZER_AUDIENCE') ?? accessTokenAudience;
  if (authorizerAudience !== accessTokenAudience && !serviceList.some((s) => s.id === authorizerAudience)) {
    throw new ConfigError('AUTHORIZER_AUDIENCE', `must be the access-token audience or a service id from SERVICES, got "${authorizerAudience}"`);
  }
  if (serviceList.some((s) => s.id === accessTokenAudience)) {
    throw new ConfigError('SERVICES', `must not reuse the access-token audience "${accessTokenAudience}" as a service id`);
  }

  return {
    tableName: read(env, 'TABLE_NAME') ?? 'auth-service-local',
    region: read(env, 'AWS_REGION') ?? 'us-east-1',
    dynamodbEndpoint: read(env, 'DYNAMODB_ENDPOINT'),
    sesEndpoint: read(env, 'SES_ENDPOINT'),
    sesFrom: read(env, 'SES_FROM') ?? 'no-reply@example.com',
    publicUrl,
    issuer: url(env, 'ISSUER', publicUrl),
    clientId: read(env, 'CLIENT_ID') ?? 'auth-service',
    keyEncryptionSecret,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 1800, 60, 86_400),
    accessTokenAudience,
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 14 * 86_400, 300, 365 * 86_400),
    refreshReuseGraceSeconds: int(env, 'REFRESH_REUSE_GRACE_SECONDS', 0, 0, 300),
    serviceTokenTtlSeconds: int(env, 'SERVICE_TOKEN_TTL', 300, 30, 3_600),
    services: serviceList,
    apiTokens: apiTokenLimits(env),
    productName: read(env, 'PRODUCT_NAME') ?? 'Auth Service',
    resetTokenTtlSeconds: int(env, 'RESET_TOKEN_TTL', 1800, 300, 86_400),
    verifyTokenTtlSeconds: int(env, 'VERIFY_TOKEN_TTL', 86_400, 300, 30 * 86_400),
    requireVerifiedEmail: bool(env, 'REQUIRE_VERIFIED_EMAIL', false),
    enabledDialects: dialects(env),
    authorizerAudience,
    requiredProfileFields: profileFields(env),
    argon2: {
      memoryCost: int(env, 'ARGON2_MEMORY_KIB', 19_456, 7_168, 1_048_576),
      timeCost: int(env, 'ARGON2_ITERATIONS', 2, 1, 20),
      parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1, 16),
    },
    keyCacheSeconds: int(env, 'KEY_CACHE_SECONDS', 300, 0, 3_600),
    loginThrottle: {
      maxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 1_000),
      windowSeconds: int(env, 'LOGIN_FAILURE_WINDOW', 900, 60, 86_400),
      maxWaitSeconds: int(env, 'LOGIN_MAX_WAIT', 900, 1, 86_400),
    },
    ipRateLimitPerMinute: int(env, 'IP_RATE_LIMIT_PER_MINUTE', 100, 0, 1_000_000),
    corsOrigins: origins(env),
    mailRequestMinMs: int(env, 'MAIL_REQUEST_MIN_MS', 500, 0, 10_000),
  };
}

let cached: Config | undefined;

/** The process-wide configuration, parsed on first use (at cold start) and then reused. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
