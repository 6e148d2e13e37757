// Each configuration section on its own: it reads only its variables, caches per environment, and
// names every bad variable it holds with the reason.
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../../lib/config/all.ts';
import { ABUSE_VARIABLES, abuseConfig } from '../../../lib/config/sections/abuse.ts';
import { accountsConfig } from '../../../lib/config/sections/accounts.ts';
import { apiTokensConfig } from '../../../lib/config/sections/api-tokens.ts';
import { dialectsConfig } from '../../../lib/config/sections/dialects.ts';
import { httpConfig } from '../../../lib/config/sections/http.ts';
import { KEYS_VARIABLES, keysConfig } from '../../../lib/config/sections/keys.ts';
import { loggingConfig } from '../../../lib/config/sections/logging.ts';
import { mailConfig } from '../../../lib/config/sections/mail.ts';
import { migrationConfig } from '../../../lib/config/sections/migration.ts';
import { passwordsConfig } from '../../../lib/config/sections/passwords.ts';
import { sessionsConfig } from '../../../lib/config/sections/sessions.ts';
import { siteConfig } from '../../../lib/config/sections/site.ts';
import { TOKENS_VARIABLES, tokensConfig, tokensSection } from '../../../lib/config/sections/tokens.ts';
import { ConfigError } from '../../../lib/domain/errors.ts';

/** The ConfigError a reader throws, or a failure when it throws nothing or something else. */
function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('section readers', () => {
  it('read only their own variables: a section needs nothing another section requires', () => {
    // KEY_ENCRYPTION_SECRET and PUBLIC_URL are required, but not by these sections.
    expect(tokensConfig({}).accessTokenTtlSeconds).toBe(1800);
    expect(abuseConfig({ KEY_ENCRYPTION_SECRET: 'short' }).loginThrottle.maxFailures).toBe(5);
    expect(mailConfig({ PUBLIC_URL: 'not a url' }).mailRequestMinMs).toBe(500);
  });

  it('parse once per environment object and then reuse the result', () => {
    const env = { ACCESS_TOKEN_TTL: '120' };
    const first = tokensConfig(env);
    env.ACCESS_TOKEN_TTL = '240';
    expect(tokensConfig(env)).toBe(first);
    expect(tokensConfig({ ACCESS_TOKEN_TTL: '240' }).accessTokenTtlSeconds).toBe(240);
  });

  it('do not cache a failure: a fixed environment object is read again', () => {
    const env: Record<string, string> = { ACCESS_TOKEN_TTL: 'x' };
    expect(() => tokensConfig(env)).toThrow(ConfigError);
    env.ACCESS_TOKEN_TTL = '90';
    expect(tokensConfig(env).accessTokenTtlSeconds).toBe(90);
  });

  it('name every bad variable of the section, each with its reason', () => {
    const error = configError(() =>
      abuseConfig({ LOGIN_MAX_FAILURES: '0', LOGIN_FAILURE_WINDOW: 'soon', LOGIN_MAX_WAIT: '5', IP_RATE_LIMIT_PER_MINUTE: '-1' }),
    );
    expect(error.problems).toEqual([
      { variable: 'LOGIN_MAX_FAILURES', problem: 'must be between 1 and 1000, got 0' },
      { variable: 'LOGIN_FAILURE_WINDOW', problem: 'must be a whole number, got "soon"' },
      { variable: 'IP_RATE_LIMIT_PER_MINUTE', problem: 'must be a whole number, got "-1"' },
    ]);
    expect(error.message).toBe(
      'Invalid configuration: LOGIN_MAX_FAILURES must be between 1 and 1000, got 0; LOGIN_FAILURE_WINDOW must be a whole number, got "soon"; IP_RATE_LIMIT_PER_MINUTE must be a whole number, got "-1"',
    );
  });

  it('treat empty and blank values as unset, and trim the others', () => {
    expect(sessionsConfig({ REFRESH_TOKEN_TTL: '', REFRESH_REUSE_GRACE_SECONDS: '   ' })).toEqual({
      refreshTokenTtlSeconds: 14 * 86_400,
      refreshReuseGraceSeconds: 30,
    });
    expect(sessionsConfig({ REFRESH_TOKEN_TTL: ' 300 ' }).refreshTokenTtlSeconds).toBe(300);
  });

  it('export the names of their variables, for per-function environments', () => {
    expect(KEYS_VARIABLES).toEqual(['KEY_ENCRYPTION_SECRET', 'KEY_CACHE_SECONDS']);
    expect(ABUSE_VARIABLES).toEqual([
      'LOGIN_MAX_FAILURES',
      'LOGIN_FAILURE_WINDOW',
      'LOGIN_MAX_WAIT',
      'IP_RATE_LIMIT_PER_MINUTE',
      'LOGIN_DAILY_MAX_FAILURES',
      'DEVICE_PROOF_TTL',
    ]);
    expect(TOKENS_VARIABLES).toEqual([
      'ACCESS_TOKEN_TTL',
      'ACCESS_TOKEN_AUDIENCE',
      'CLIENT_ID',
      'SERVICE_TOKEN_TTL',
      'SERVICES',
      'AUTHORIZER_AUDIENCE',
      'TOKEN_CLOCK_LEEWAY_SECONDS',
    ]);
  });

  it('declare each variable in exactly one section', () => {
    const names = SECTIONS.flatMap((section) => section.variableNames);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(64);
  });
});

describe('site', () => {
  it('requires PUBLIC_URL unless CloudFormation passes an http API_ENDPOINT', () => {
    expect(configError(() => siteConfig({})).problems).toEqual([{ variable: 'PUBLIC_URL', problem: 'is required' }]);
    expect(configError(() => siteConfig({ API_ENDPOINT: 'not-http' })).problems).toEqual([{ variable: 'PUBLIC_URL', problem: 'is required' }]);
    expect(configError(() => siteConfig({ API_ENDPOINT: 'http://[' })).message).toMatch(/PUBLIC_URL must be an absolute URL, got "http:\/\/\["/);
    expect(siteConfig({ PUBLIC_URL: 'https://auth.example.com/', API_ENDPOINT: 'https://abc.example' }).publicUrl).toBe('https://auth.example.com');
  });

  it('names PUBLIC_URL and ISSUER together when both are wrong', () => {
    expect(configError(() => siteConfig({ PUBLIC_URL: 'x', ISSUER: 'y' })).problems.map((p) => p.variable)).toEqual(['PUBLIC_URL', 'ISSUER']);
  });

  it('takes the issuer from ISSUER, else from the public URL', () => {
    expect(siteConfig({ PUBLIC_URL: 'http://a.example', ISSUER: 'https://issuer.example/' })).toEqual({
      publicUrl: 'http://a.example',
      issuer: 'https://issuer.example',
      productName: 'Auth Service',
    });
  });
});

describe('keys', () => {
  it('needs no secret (only `keys migrate` reads it) but refuses a short one, and bounds the key cache', () => {
    expect(keysConfig({}).keyEncryptionSecret).toBeUndefined();
    expect(configError(() => keysConfig({ KEY_CACHE_SECONDS: '3601' })).problems).toEqual([
      { variable: 'KEY_CACHE_SECONDS', problem: 'must be between 0 and 3600, got 3601' },
    ]);
    expect(configError(() => keysConfig({ KEY_ENCRYPTION_SECRET: 'short' })).message).toMatch(/KEY_ENCRYPTION_SECRET must be at least 32 characters/);
  });

  it('never puts the secret into a message', () => {
    const secret = 'not-long-enough-secret';
    expect(configError(() => keysConfig({ KEY_ENCRYPTION_SECRET: secret })).message).not.toContain(secret);
  });
});

describe('tokens', () => {
  it('checks the audiences against the registry only when SERVICES itself parsed', () => {
    const problems = configError(() => tokensConfig({ SERVICES: 'nope', AUTHORIZER_AUDIENCE: 'elsewhere' })).problems;
    expect(problems.map((p) => p.variable)).toEqual(['SERVICES']);
  });

  it('reports every bad entry of SERVICES', () => {
    const error = configError(() => tokensConfig({ SERVICES: '[{"id":"Bad Id","name":""}, 5, {"id":"ok","name":"OK","permission":""}]' }));
    expect(error.problems).toEqual([
      {
        variable: 'SERVICES',
        problem:
          'entry 0: "id" must be lowercase letters, digits, ".", "_" or "-" (at most 64); entry 0: "name" is required; ' +
          'entry 1: must be an object like {"id":"reports","name":"Reports"}; entry 2: "permission" must be a non-empty string when given',
      },
    ]);
  });

  it('drops a null permission and trims names', () => {
    expect(tokensConfig({ SERVICES: '[{"id":"r","name":" Reports ","permission":null}]' }).services).toEqual([{ id: 'r', name: 'Reports' }]);
    expect(configError(() => tokensConfig({ SERVICES: '{"id":"r"}' })).message).toMatch(/SERVICES must be a JSON array$/);
  });

  it('refuses an id or name listed twice, across ids and names', () => {
    expect(configError(() => tokensConfig({ SERVICES: '[{"id":"a","name":"X"},{"id":"x","name":"Y"}]' })).message).toMatch(
      /SERVICES entry 1: "x" is listed twice/,
    );
  });

  it('accepts a service id as the authorizer audience', () => {
    const env = { SERVICES: '[{"id":"reports","name":"Reports"}]', AUTHORIZER_AUDIENCE: 'reports' };
    expect(tokensConfig(env).authorizerAudience).toBe('reports');
    expect(tokensSection.problems({ ...env, AUTHORIZER_AUDIENCE: 'nobody' })).toEqual([
      { variable: 'AUTHORIZER_AUDIENCE', problem: 'must be the access-token audience or a service id from SERVICES, got "nobody"' },
    ]);
  });
});

describe('api-tokens, accounts, passwords', () => {
  it('keeps the API-token rule between default and maximum', () => {
    expect(apiTokensConfig({ API_TOKEN_MAX_TTL: '60' })).toEqual({ defaultTtlSeconds: 60, maxTtlSeconds: 60, maxPerUser: 100 });
    // A bad maximum is named alone: the default is not blamed for a maximum that never parsed.
    expect(configError(() => apiTokensConfig({ API_TOKEN_MAX_TTL: '59', API_TOKEN_DEFAULT_TTL: '600' })).problems.map((p) => p.variable)).toEqual([
      'API_TOKEN_MAX_TTL',
    ]);
  });

  it('reads the account switches', () => {
    expect(accountsConfig({ REQUIRE_VERIFIED_EMAIL: '1', REQUIRED_PROFILE_FIELDS: ',country,,job_title,' })).toEqual({
      requiredProfileFields: ['country', 'job_title'],
      requireVerifiedEmail: true,
      resetTokenTtlSeconds: 1800,
      verifyTokenTtlSeconds: 86_400,
      registrationDisclosure: 'conflict',
    });
    expect(accountsConfig({ REGISTRATION_DISCLOSURE: 'Email' }).registrationDisclosure).toBe('email');
    expect(configError(() => accountsConfig({ REGISTRATION_DISCLOSURE: 'hide' })).message).toMatch(
      /REGISTRATION_DISCLOSURE must be one of conflict, email, got "hide"/,
    );
    for (const no of ['false', 'No', '0']) expect(accountsConfig({ REQUIRE_VERIFIED_EMAIL: no }).requireVerifiedEmail).toBe(false);
    expect(configError(() => accountsConfig({ REQUIRE_VERIFIED_EMAIL: 'maybe' })).message).toMatch(/REQUIRE_VERIFIED_EMAIL must be true or false, got "maybe"/);
    // Field names are case-sensitive, as the API's fields are.
    expect(configError(() => accountsConfig({ REQUIRED_PROFILE_FIELDS: 'Country' })).message).toMatch(/names unknown fields Country; allowed: first_name/);
  });

  it('reads the argon2 parameters', () => {
    expect(passwordsConfig({ ARGON2_MEMORY_KIB: '7168' }).argon2).toEqual({ memoryCost: 7168, timeCost: 2, parallelism: 1 });
    expect(configError(() => passwordsConfig({ ARGON2_MEMORY_KIB: '7167', ARGON2_PARALLELISM: '17' })).problems.map((p) => p.variable)).toEqual([
      'ARGON2_MEMORY_KIB',
      'ARGON2_PARALLELISM',
    ]);
  });
});

describe('http, dialects, logging, mail', () => {
  it('parses CORS origins', () => {
    expect(httpConfig({ CORS_ORIGINS: 'https://a.example:8443, http://localhost:3000/' }).corsOrigins).toEqual([
      'https://a.example:8443',
      'http://localhost:3000',
    ]);
    expect(configError(() => httpConfig({ CORS_ORIGINS: 'https://a.example/app' })).message).toMatch(/"https:\/\/a.example\/app" is not an origin/);
    expect(configError(() => httpConfig({ CORS_ORIGINS: 'a.example' })).message).toMatch(/must list origins like https:\/\/app.example.com, got "a.example"/);
  });

  it('reads ENABLED_DIALECTS: all, none or a list, in any case', () => {
    expect(dialectsConfig({ ENABLED_DIALECTS: 'ALL' }).enabledDialects).toEqual(['tcap', 'eclecticiq', 'opentact', 'minisass']);
    expect(dialectsConfig({ ENABLED_DIALECTS: 'None' }).enabledDialects).toEqual([]);
    expect(dialectsConfig({ ENABLED_DIALECTS: 'OpenTact' }).enabledDialects).toEqual(['opentact']);
  });

  it('accepts the four log levels in any case and names a typo', () => {
    expect(loggingConfig({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
    expect(loggingConfig({}).logLevel).toBe('info');
    expect(configError(() => loggingConfig({ LOG_LEVEL: 'verbose' })).message).toBe(
      'Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error, got "verbose"',
    );
  });

  it('reads the mail settings', () => {
    expect(mailConfig({ SES_ENDPOINT: 'http://127.0.0.1:8005', MAIL_REQUEST_MIN_MS: '10000', MAIL_PER_ADDRESS_PER_HOUR: '5' })).toEqual({
      sesEndpoint: 'http://127.0.0.1:8005',
      sesFrom: 'no-reply@example.com',
      mailRequestMinMs: 10_000,
      mailPerAddressPerHour: 5,
    });
    expect(mailConfig({}).mailPerAddressPerHour).toBe(3);
  });
});

describe('migration', () => {
  it('is off by default and needs the URL and the dialect together', () => {
    expect(migrationConfig({}).fromUrl).toBeUndefined();
    expect(configError(() => migrationConfig({ MIGRATE_FROM_URL: 'https://old.example.com' })).problems.map((p) => p.variable)).toEqual([
      'MIGRATE_FROM_DIALECT',
    ]);
    expect(configError(() => migrationConfig({ MIGRATE_FROM_DIALECT: 'tcap' })).problems.map((p) => p.variable)).toEqual(['MIGRATE_FROM_URL']);
    // A bad dialect is named alone, not also as a missing one.
    expect(
      configError(() => migrationConfig({ MIGRATE_FROM_URL: 'https://old.example.com', MIGRATE_FROM_DIALECT: 'django' })).problems.map((p) => p.variable),
    ).toEqual(['MIGRATE_FROM_DIALECT']);
  });

  it('sends passwords over https only, or over plain http to this machine', () => {
    const withUrl = (url: string) => ({ MIGRATE_FROM_URL: url, MIGRATE_FROM_DIALECT: 'tcap' });
    for (const local of ['http://localhost:8000', 'http://127.0.0.1:41234/', 'http://[::1]:3000', 'https://old.example.com/api']) {
      expect(migrationConfig(withUrl(local)).fromUrl).toBe(local.replace(/\/$/, ''));
    }
    for (const remote of ['http://old.example.com', 'http://10.0.0.7:8000', 'http://localhost.example.com', 'ftp://old.example.com']) {
      expect(configError(() => migrationConfig(withUrl(remote))).problems).toEqual([
        { variable: 'MIGRATE_FROM_URL', problem: expect.stringContaining('must be an https:// URL') },
      ]);
    }
  });

  it('reads MIGRATE_UNTIL as a date at midnight UTC or a date-time with its zone, and nothing ambiguous', () => {
    const until = (value: string) => migrationConfig({ MIGRATE_UNTIL: value }).untilMs;
    expect(until('2027-03-31')).toBe(Date.UTC(2027, 2, 31));
    expect(until('2027-03-31T18:00:00+02:00')).toBe(Date.UTC(2027, 2, 31, 16));
    expect(until('2027-03-31T18:00Z')).toBe(Date.UTC(2027, 2, 31, 18));
    for (const bad of ['2027-03-31T18:00:00', 'tomorrow', '2027-02-30', '2027-13-01', '31/03/2027']) {
      expect(configError(() => migrationConfig({ MIGRATE_UNTIL: bad })).problems[0]?.problem).toContain('must be a date');
    }
  });
});
