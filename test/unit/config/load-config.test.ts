// The transitional getConfig()/loadConfig(): today's flat Config shape, defaults and messages, composed from the sections.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/all.ts';

const base = { KEY_ENCRYPTION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'http://localhost:3000' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.accessTokenTtlSeconds).toBe(1800);
    expect(config.refreshTokenTtlSeconds).toBe(14 * 86_400);
    expect(config.argon2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(config.issuer).toBe('http://localhost:3000');
    expect(config.requiredProfileFields).toEqual([]);
  });

  it('treats empty variables as unset, as serverless.yml forwards them', () => {
    expect(loadConfig({ ...base, ACCESS_TOKEN_TTL: '', ISSUER: '' }).accessTokenTtlSeconds).toBe(1800);
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ ...base, ACCESS_TOKEN_TTL: 'soon' })).toThrow(/ACCESS_TOKEN_TTL/);
    expect(() => loadConfig({ ...base, ACCESS_TOKEN_TTL: '5' })).toThrow(/ACCESS_TOKEN_TTL must be between/);
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ ...base, REQUIRED_PROFILE_FIELDS: 'country,shoe_size' })).toThrow(/shoe_size/);
  });

  it('needs no KEY_ENCRYPTION_SECRET (only `keys migrate` reads it), but refuses a short one', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'http://x' })).not.toThrow();
    expect(() => loadConfig({ PUBLIC_URL: 'http://x', KEY_ENCRYPTION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(loadConfig({ PUBLIC_URL: 'http://x', KEY_ENCRYPTION_SECRET: 'x'.repeat(32) })).not.toHaveProperty('keyEncryptionSecret');
  });

  it('falls back to the API endpoint CloudFormation passes when PUBLIC_URL is unset', () => {
    const config = loadConfig({ KEY_ENCRYPTION_SECRET: 'x'.repeat(32), API_ENDPOINT: 'https://abc.execute-api.eu-west-1.amazonaws.com/' });
    expect(config.publicUrl).toBe('https://abc.execute-api.eu-west-1.amazonaws.com');
    expect(config.issuer).toBe(config.publicUrl);
  });

  it('parses REQUIRED_PROFILE_FIELDS', () => {
    expect(loadConfig({ ...base, REQUIRED_PROFILE_FIELDS: 'country, organisation_name' }).requiredProfileFields).toEqual(['country', 'organisation_name']);
  });
});

describe('service registry and authorizer audience', () => {
  it('registers TCAP’s Hash Verification, open to everyone, by default', () => {
    const config = loadConfig(base);
    expect(config.services).toEqual([{ id: 'hash-verification', name: 'Hash Verification' }]);
    expect(config.serviceTokenTtlSeconds).toBe(300);
    expect(config.refreshReuseGraceSeconds).toBe(30);
    expect(config.authorizerAudience).toBe(config.accessTokenAudience);
  });

  it('reads SERVICES as JSON with optional permissions', () => {
    const services = '[{"id":"reports","name":"Reports","permission":"reports:read"},{"id":"hash-verification","name":"Hash Verification"}]';
    const config = loadConfig({ ...base, SERVICES: services, AUTHORIZER_AUDIENCE: 'reports' });
    expect(config.services[0]).toEqual({ id: 'reports', name: 'Reports', permission: 'reports:read' });
    expect(config.authorizerAudience).toBe('reports');
  });

  it('names the problem in a bad registry', () => {
    expect(() => loadConfig({ ...base, SERVICES: 'nope' })).toThrow(/SERVICES must be a JSON array/);
    expect(() => loadConfig({ ...base, SERVICES: '[{"id":"Bad Id","name":"x"}]' })).toThrow(/SERVICES entry 0: "id"/);
    expect(() => loadConfig({ ...base, SERVICES: '[{"id":"a","name":""}]' })).toThrow(/"name" is required/);
    expect(() => loadConfig({ ...base, SERVICES: '[{"id":"a","name":"A"},{"id":"b","name":"a"}]' })).toThrow(/listed twice/);
    expect(() => loadConfig({ ...base, SERVICES: '[{"id":"auth-service","name":"Clash"}]' })).toThrow(/access-token audience/);
  });

  it('refuses an authorizer audience that is neither the access audience nor a service', () => {
    expect(() => loadConfig({ ...base, AUTHORIZER_AUDIENCE: 'somebody-else' })).toThrow(/AUTHORIZER_AUDIENCE/);
  });
});

describe('ENABLED_DIALECTS', () => {
  it('enables every dialect by default, or the ones listed, or none', () => {
    expect(loadConfig(base).enabledDialects).toEqual(['tcap', 'eclecticiq', 'opentact', 'minisass']);
    expect(loadConfig({ ...base, ENABLED_DIALECTS: 'TCAP, minisass' }).enabledDialects).toEqual(['tcap', 'minisass']);
    expect(loadConfig({ ...base, ENABLED_DIALECTS: 'none' }).enabledDialects).toEqual([]);
    expect(() => loadConfig({ ...base, ENABLED_DIALECTS: 'tcap,keycloak' })).toThrow(/ENABLED_DIALECTS names unknown dialects keycloak/);
  });
});

describe('the Config shape', () => {
  it('has exactly the fields and defaults the old flat config had', () => {
    expect(loadConfig(base)).toStrictEqual({
      tableName: 'auth-service-local',
      region: 'us-east-1',
      dynamodbEndpoint: undefined,
      sesEndpoint: undefined,
      sesFrom: 'no-reply@example.com',
      publicUrl: 'http://localhost:3000',
      issuer: 'http://localhost:3000',
      clientId: 'auth-service',
      kmsKeyId: undefined,
      kmsEndpoint: undefined,
      keyContext: { service: 'auth-service', stage: 'local' },
      accessTokenTtlSeconds: 1800,
      accessTokenAudience: 'auth-service',
      refreshTokenTtlSeconds: 14 * 86_400,
      refreshReuseGraceSeconds: 30,
      serviceTokenTtlSeconds: 300,
      tokenClockLeewaySeconds: 5,
      services: [{ id: 'hash-verification', name: 'Hash Verification' }],
      apiTokens: { defaultTtlSeconds: 30 * 86_400, maxTtlSeconds: 365 * 86_400, maxPerUser: 100 },
      productName: 'Auth Service',
      resetTokenTtlSeconds: 1800,
      verifyTokenTtlSeconds: 86_400,
      requireVerifiedEmail: false,
      registrationDisclosure: 'conflict',
      enabledDialects: ['tcap', 'eclecticiq', 'opentact', 'minisass'],
      miniSassRefresh: 'reusable',
      authorizerAudience: 'auth-service',
      requiredProfileFields: [],
      argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
      keyCacheSeconds: 300,
      loginThrottle: { maxFailures: 5, windowSeconds: 900, maxWaitSeconds: 900, dailyMaxFailures: 100, deviceProofTtlSeconds: 15_552_000 },
      ipRateLimitPerMinute: 100,
      corsOrigins: [],
      mailRequestMinMs: 500,
      mailPerAddressPerHour: 3,
      oauth: {
        dynamicRegistration: 'off',
        authorizationCodeTtlSeconds: 60,
        idTokenTtlSeconds: 3600,
        browserSessionTtlSeconds: 43_200,
        registerUrl: undefined,
        forgotPasswordUrl: undefined,
      },
      mfa: { policy: 'optional', dialects: 'refuse', stepUpMaxAgeSeconds: 600, webauthnRpId: undefined, webauthnOrigins: undefined },
      events: { retentionDays: 400 },
      migration: { fromUrl: undefined, fromDialect: undefined, untilMs: undefined, timeoutMs: 4000, failedLoginMinMs: 1500 },
    });
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      ...base,
      TABLE_NAME: 't',
      AWS_REGION: 'eu-west-1',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      SES_ENDPOINT: 'http://127.0.0.1:8005',
      SES_FROM: 'a@b.example',
      ISSUER: 'https://issuer.example/',
      CLIENT_ID: 'c',
      ACCESS_TOKEN_TTL: '60',
      ACCESS_TOKEN_AUDIENCE: 'aud',
      REFRESH_TOKEN_TTL: '300',
      REFRESH_REUSE_GRACE_SECONDS: '10',
      SERVICE_TOKEN_TTL: '30',
      API_TOKEN_DEFAULT_TTL: '120',
      API_TOKEN_MAX_TTL: '240',
      API_TOKEN_MAX_PER_USER: '3',
      PRODUCT_NAME: 'P',
      RESET_TOKEN_TTL: '301',
      VERIFY_TOKEN_TTL: '302',
      REQUIRE_VERIFIED_EMAIL: 'YES',
      ARGON2_MEMORY_KIB: '8192',
      ARGON2_ITERATIONS: '3',
      ARGON2_PARALLELISM: '2',
      KEY_CACHE_SECONDS: '0',
      LOGIN_MAX_FAILURES: '7',
      LOGIN_FAILURE_WINDOW: '61',
      LOGIN_MAX_WAIT: '62',
      IP_RATE_LIMIT_PER_MINUTE: '0',
      CORS_ORIGINS: 'https://app.example.com/, *',
      MAIL_REQUEST_MIN_MS: '0',
      MAIL_PER_ADDRESS_PER_HOUR: '7',
      OAUTH_DYNAMIC_REGISTRATION: 'Token',
      AUTHORIZATION_CODE_TTL: '30',
      ID_TOKEN_TTL: '600',
      BROWSER_SESSION_TTL: '3600',
      LOGIN_PAGE_REGISTER_URL: 'https://app.example.com/signup',
      LOGIN_PAGE_FORGOT_URL: 'https://app.example.com/forgot',
      MFA_POLICY: 'Required',
      MFA_DIALECTS: 'allow',
      STEP_UP_MAX_AGE: '120',
      MIGRATE_FROM_URL: 'https://old.example.com/',
      MIGRATE_FROM_DIALECT: 'simplejwt',
      MIGRATE_UNTIL: '2027-03-31',
      MIGRATE_TIMEOUT_MS: '3000',
      MIGRATE_FAILED_LOGIN_MIN_MS: '900',
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_ORIGINS: 'https://app.example.com, https://login.example.com',
      SECURITY_EVENT_RETENTION_DAYS: '30',
    });
    expect(config).toMatchObject({
      tableName: 't',
      region: 'eu-west-1',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      sesEndpoint: 'http://127.0.0.1:8005',
      sesFrom: 'a@b.example',
      issuer: 'https://issuer.example',
      clientId: 'c',
      accessTokenTtlSeconds: 60,
      accessTokenAudience: 'aud',
      authorizerAudience: 'aud',
      refreshTokenTtlSeconds: 300,
      refreshReuseGraceSeconds: 10,
      serviceTokenTtlSeconds: 30,
      apiTokens: { defaultTtlSeconds: 120, maxTtlSeconds: 240, maxPerUser: 3 },
      productName: 'P',
      resetTokenTtlSeconds: 301,
      verifyTokenTtlSeconds: 302,
      requireVerifiedEmail: true,
      argon2: { memoryCost: 8192, timeCost: 3, parallelism: 2 },
      keyCacheSeconds: 0,
      loginThrottle: { maxFailures: 7, windowSeconds: 61, maxWaitSeconds: 62, dailyMaxFailures: 100, deviceProofTtlSeconds: 15_552_000 },
      ipRateLimitPerMinute: 0,
      corsOrigins: ['https://app.example.com', '*'],
      mailRequestMinMs: 0,
      mailPerAddressPerHour: 7,
      oauth: {
        dynamicRegistration: 'token',
        authorizationCodeTtlSeconds: 30,
        idTokenTtlSeconds: 600,
        browserSessionTtlSeconds: 3600,
        registerUrl: 'https://app.example.com/signup',
        forgotPasswordUrl: 'https://app.example.com/forgot',
      },
      mfa: {
        policy: 'required',
        dialects: 'allow',
        stepUpMaxAgeSeconds: 120,
        webauthnRpId: 'example.com',
        webauthnOrigins: ['https://app.example.com', 'https://login.example.com'],
      },
      events: { retentionDays: 30 },
      migration: {
        fromUrl: 'https://old.example.com',
        fromDialect: 'simplejwt',
        untilMs: Date.parse('2027-03-31T00:00:00Z'),
        timeoutMs: 3000,
        failedLoginMinMs: 900,
      },
    });
  });

  it('names every bad variable of every section at once', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'nope', ACCESS_TOKEN_TTL: 'soon', ARGON2_ITERATIONS: '0', CORS_ORIGINS: 'x' })).toThrow(
      /PUBLIC_URL .*ACCESS_TOKEN_TTL must be a whole number.*ARGON2_ITERATIONS must be between 1 and 20.*CORS_ORIGINS/,
    );
  });

  it('caps the default API-token lifetime at the maximum, and refuses a default above it', () => {
    expect(loadConfig({ ...base, API_TOKEN_MAX_TTL: '3600' }).apiTokens.defaultTtlSeconds).toBe(3600);
    expect(() => loadConfig({ ...base, API_TOKEN_MAX_TTL: '3600', API_TOKEN_DEFAULT_TTL: '3601' })).toThrow(
      /API_TOKEN_DEFAULT_TTL must not exceed API_TOKEN_MAX_TTL \(3600\)/,
    );
  });

  it('hands each caller its own copy of a default', () => {
    const first = loadConfig(base);
    first.requiredProfileFields.push('country');
    first.services.push({ id: 'x', name: 'X' });
    expect(loadConfig(base).requiredProfileFields).toEqual([]);
    expect(loadConfig(base).services).toHaveLength(1);
  });
});

describe('loadConfig and getConfig', () => {
  it('reads a changed environment object afresh, as before (admin commands build environments step by step)', () => {
    const env: Record<string, string> = { ...base, ACCESS_TOKEN_TTL: '120' };
    expect(loadConfig(env).accessTokenTtlSeconds).toBe(120);
    env.ACCESS_TOKEN_TTL = '240';
    expect(loadConfig(env).accessTokenTtlSeconds).toBe(240);
  });
});
