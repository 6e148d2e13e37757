// getConfig()'s lazy Config: the same values loadConfig gives, each section read at its first use,
// so a function is stopped only by a bad variable of a section it actually reads.
import { describe, expect, it } from 'vitest';
import { lazyConfig, loadConfig } from '../../../lib/config/all.ts';
import { ConfigError } from '../../../lib/domain/errors.ts';

const base = { KEY_ENCRYPTION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'http://localhost:3000', CORS_ORIGINS: 'https://app.example.com' };

describe('lazyConfig', () => {
  it('holds what loadConfig holds', () => {
    expect({ ...lazyConfig(base) }).toEqual(loadConfig(base));
  });

  it('reads a section only when one of its fields is read', () => {
    // A bad KEY_CACHE_SECONDS and a bad ACCESS_TOKEN_TTL: loadConfig refuses the whole environment...
    const env = { PUBLIC_URL: 'http://localhost:3000', CORS_ORIGINS: 'https://app.example.com', ACCESS_TOKEN_TTL: 'an hour', KEY_CACHE_SECONDS: 'soon' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    // ...the lazy one answers from the sections that are fine, and names the bad variable where it is read.
    const config = lazyConfig(env);
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
    expect(config.issuer).toBe('http://localhost:3000');
    expect(() => config.accessTokenTtlSeconds).toThrow(/ACCESS_TOKEN_TTL/);
    expect(() => config.keyCacheSeconds).toThrow(/KEY_CACHE_SECONDS/);
  });
});
