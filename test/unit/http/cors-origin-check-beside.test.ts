// CORS decided per request (ServeOptions.corsOriginCheck) beside CORS_ORIGINS: both allow, and an
// origin CORS_ORIGINS allows costs no lookup. (The configuration is read once per file.)
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { useTestConfig } from './config-env.ts';
import { CLIENT, from, route } from './origin-checked-route.ts';

const context = {} as Context;

useTestConfig({ CORS_ORIGINS: 'https://app.example.com' });

describe('CORS from an origin check beside CORS_ORIGINS', () => {
  it('does not ask about an origin CORS_ORIGINS already allows, and allows both', async () => {
    const { handler, asked } = route();
    expect((await handler(from('https://app.example.com'), context)).headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect((await handler(from(CLIENT), context)).headers['access-control-allow-origin']).toBe(CLIENT);
    expect(asked).toEqual([CLIENT]);
  });
});
