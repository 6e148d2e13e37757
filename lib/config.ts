// Reads and validates the environment once per Lambda instance. Every variable, its default and its
// meaning is listed in the README's configuration table; a bad value stops the cold start with a
// message naming the variable instead of failing later in some request.
import { ConfigError } from './errors.ts';

export const PROFILE_FIELDS = [
  'first_name',
  'last_name',
  'organisation_type',
  'organisation_name',
  'country',
  'job_title',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

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
  requiredProfileFields: ProfileField[];
  argon2: Argon2Params;
  keyCacheSeconds: number;
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

/** Parses and validates a configuration from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): Config {
  const keyEncryptionSecret = read(env, 'KEY_ENCRYPTION_SECRET');
  if (!keyEncryptionSecret) throw new ConfigError('KEY_ENCRYPTION_SECRET', 'is required (at least 32 characters)');
  if (keyEncryptionSecret.length < 32) throw new ConfigError('KEY_ENCRYPTION_SECRET', 'must be at least 32 characters');

  // In AWS the API's own endpoint is passed by CloudFormation (API_ENDPOINT); PUBLIC_URL wins when set
  // (custom domain, or http://localhost:3000 locally).
  const apiEndpoint = read(env, 'API_ENDPOINT');
  const publicUrl = url(env, 'PUBLIC_URL', apiEndpoint?.startsWith('http') ? apiEndpoint : undefined);

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
    accessTokenAudience: read(env, 'ACCESS_TOKEN_AUDIENCE') ?? 'auth-service',
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 14 * 86_400, 300, 365 * 86_400),
    requiredProfileFields: profileFields(env),
    argon2: {
      memoryCost: int(env, 'ARGON2_MEMORY_KIB', 19_456, 7_168, 1_048_576),
      timeCost: int(env, 'ARGON2_ITERATIONS', 2, 1, 20),
      parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1, 16),
    },
    keyCacheSeconds: int(env, 'KEY_CACHE_SECONDS', 300, 0, 3_600),
  };
}

let cached: Config | undefined;

/** The process-wide configuration, parsed on first use (at cold start) and then reused. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
