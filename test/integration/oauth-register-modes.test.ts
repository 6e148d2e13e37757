// POST /oauth/register in each OAUTH_DYNAMIC_REGISTRATION mode, the handler loaded in this process
// for each: `off` answers 404 as if there were no endpoint; `token` needs a live initial access
// token as a bearer token (RFC 7591 §3, RFC 6750 §3.1: 401 invalid_token with a challenge).
import { describe, expect, it, vi } from 'vitest';
import { issueRegistrationToken } from '../../lib/use-cases/oauth-client-registry.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { type Handler, keepProcessEnv, send } from '../support/service-handlers.ts';

keepProcessEnv();

async function registerHandler(mode: string): Promise<Handler> {
  vi.resetModules();
  Object.assign(process.env, stackEnv({ OAUTH_DYNAMIC_REGISTRATION: mode, IP_RATE_LIMIT_PER_MINUTE: '0' }));
  return ((await import('../../functions/oauth-register.ts')) as { handler: Handler }).handler;
}

const metadata = { redirect_uris: ['https://rp.example.com/cb'], token_endpoint_auth_method: 'none' };

describe('OAUTH_DYNAMIC_REGISTRATION=off', () => {
  it('answers 404 in OAuth JSON, never cached', async () => {
    const handler = await registerHandler('off');
    const answer = await send(handler, '/oauth/register', { body: metadata });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'not_found', error_description: expect.any(String) });
    expect(answer.headers['cache-control']).toBe('no-store');
  });
});

describe('OAUTH_DYNAMIC_REGISTRATION=token', () => {
  it('refuses a request without an initial access token, or with a wrong or expired one: 401 invalid_token', async () => {
    const handler = await registerHandler('token');
    // Issued an hour and a half ago for an hour: expired now.
    const expired = await issueRegistrationToken(3600, testDependencies(testClock(Date.now() - 5400_000)));
    for (const token of [undefined, 'not-a-token', expired.token]) {
      const answer = await send(handler, '/oauth/register', { body: metadata, ...(token ? { token } : {}) });
      expect(answer.status, String(token)).toBe(401);
      expect(answer.body.error).toBe('invalid_token');
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('registers a client for a live initial access token', async () => {
    const handler = await registerHandler('token');
    const { token } = await issueRegistrationToken(600, testDependencies());
    const answer = await send(handler, '/oauth/register', { body: metadata, token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.client_id).toEqual(expect.stringMatching(/^c_/));
  });
});
