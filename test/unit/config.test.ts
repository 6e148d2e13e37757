import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';

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

  it('requires a key encryption secret of at least 32 characters', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'http://x' })).toThrow(/KEY_ENCRYPTION_SECRET is required/);
    expect(() => loadConfig({ PUBLIC_URL: 'http://x', KEY_ENCRYPTION_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('falls back to the API endpoint CloudFormation passes when PUBLIC_URL is unset', () => {
    const config = loadConfig({ KEY_ENCRYPTION_SECRET: 'x'.repeat(32), API_ENDPOINT: 'https://abc.execute-api.eu-west-1.amazonaws.com/' });
    expect(config.publicUrl).toBe('https://abc.execute-api.eu-west-1.amazonaws.com');
    expect(config.issuer).toBe(config.publicUrl);
  });

  it('parses REQUIRED_PROFILE_FIELDS', () => {
    expect(loadConfig({ ...base, REQUIRED_PROFILE_FIELDS: 'country, organisation_name' }).requiredProfileFields).toEqual([
      'country',
      'organisation_name',
    ]);
  });
});

describe('service registry and authorizer audience', () => {
  it('registers TCAP’s Hash Verification, open to everyone, by default', () => {
    const config = loadConfig(base);
    expect(config.services).toEqual([{ id: 'hash-verification', name: 'Hash Verification' }]);
    expect(config.serviceTokenTtlSeconds).toBe(300);
    expect(config.refreshReuseGraceSeconds).toBe(0);
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
