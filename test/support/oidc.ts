// A relying party for the OpenID Connect browser tests: openid-client (v6) configured from our
// discovery document alone, a callback server standing in for the client's redirect endpoint,
// first-party public clients registered directly in the store, and a browser signing in on the
// hosted login page the way a person does (by the password manager's field attributes).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { apiUrl, type NewUser } from '../e2e/helpers.ts';
import { testDependencies } from './deps.ts';

/** The issuer identifier: the test stack's URL (PUBLIC_URL; no ISSUER is set). */
export const issuerUrl = (): URL => new URL(apiUrl());

/** The test stack is plain http on localhost, which openid-client refuses unless told. */
export const INSECURE = { execute: [oidc.allowInsecureRequests] };

/** The client's redirect endpoint: a real server on a loopback IP (RFC 8252 §7.3), recording what reaches it. */
export interface CallbackServer {
  origin: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Every URL the browser was sent to, in order. */
  hits: URL[];
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const hits: URL[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    hits.push(url);
    const title = url.pathname === '/signed-out' ? 'Signed out at the client' : 'Back at the client';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(`<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/signed-out`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A client id in the form of generated ones. */
export const newClientId = (): string => `c_${randomBytes(17).toString('base64url').slice(0, 22)}`;

/**
 * A first-party public client (PKCE, no secret, no consent screen) of `callback`, stored directly,
 * as an operator's `npm run admin -- clients create` would.
 */
export async function createPublicClient(callback: CallbackServer, overrides: Partial<OAuthClient> = {}): Promise<OAuthClient> {
  const now = Date.now();
  const client: OAuthClient = {
    clientId: newClientId(),
    name: 'Browser test client',
    type: 'public',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [callback.redirectUri],
    postLogoutRedirectUris: [callback.postLogoutRedirectUri],
    scopes: ['openid', 'profile', 'email'],
    grantTypes: ['authorization_code', 'refresh_token'],
    firstParty: true,
    resources: [],
    registeredBy: 'admin',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  const deps = testDependencies();
  try {
    await deps.oauthClients.create(client);
  } finally {
    deps.db.destroy();
  }
  return client;
}

/** openid-client's configuration for a public client, from discovery. */
export function publicClientConfig(clientId: string): Promise<oidc.Configuration> {
  return oidc.discovery(issuerUrl(), clientId, undefined, oidc.None(), INSECURE);
}

/** One authorization request: its URL and the secrets the client keeps to check the answer. */
export interface AuthorizationRequest {
  url: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

/** An authorization code request with PKCE S256, state and nonce, built by openid-client. */
export async function authorizationRequest(config: oidc.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, codeVerifier, state, nonce };
}

/** The callback URL the browser landed on, redeemed by openid-client: state, iss, PKCE, nonce and the ID token checked. */
export function redeem(config: oidc.Configuration, callbackUrl: URL, request: AuthorizationRequest, checks: { maxAge?: number } = {}) {
  return oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: request.codeVerifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
    ...checks,
  });
}

/** The hosted login page's password field, found as a password manager finds it. */
export const passwordField = (page: Page) => page.locator('input[autocomplete="current-password"]');

/** Whether the page is the hosted login page. */
export async function onLoginPage(page: Page): Promise<boolean> {
  return new URL(page.url()).pathname === '/oauth/login' && (await passwordField(page).count()) === 1;
}

/**
 * Signs in on the hosted login page the browser is on, and waits until the browser has left it
 * (for the client's redirect URI, or the consent page).
 */
export async function signInOnHostedPage(page: Page, user: NewUser): Promise<void> {
  await passwordField(page).waitFor({ state: 'visible' });
  await page.locator('input[autocomplete="username"]').fill(user.username);
  await passwordField(page).fill(user.password);
  const form = page.locator('form', { has: passwordField(page) });
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/oauth/login', { waitUntil: 'load' }),
    form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click(),
  ]);
}

/** Approves the consent page the browser is on (third-party clients), and waits for the redirect. */
export async function approveConsent(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/oauth/consent', { waitUntil: 'load' }),
    page.getByRole('button', { name: /allow|approve|accept|continue/i }).click(),
  ]);
}

/** Waits until the browser is back at the client's redirect URI, and returns that URL (with the code or error). */
export async function callbackUrl(page: Page, redirectUri: string): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(redirectUri), { waitUntil: 'load' });
  return new URL(page.url());
}

/** Polls `probe` until it returns true, failing after `withinMs` (revocation is cached for at most 1 s per Lambda instance). */
export async function eventually(what: string, probe: () => Promise<boolean>, withinMs = 1500): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The OAuth error code an openid-client call failed with, or 'succeeded'. */
export async function oauthErrorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'succeeded';
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) return error.error;
    if (error instanceof oidc.WWWAuthenticateChallengeError) {
      // A Bearer challenge names the error (RFC 6750 §3); a Basic one (invalid_client, RFC 6749
      // §5.2) leaves it to the JSON body, which the library has not read.
      const named = error.cause.find((challenge) => challenge.parameters.error)?.parameters.error;
      if (named) return named;
      const body = (await error.response.json().catch(() => undefined)) as { error?: unknown } | undefined;
      return typeof body?.error === 'string' ? body.error : `http ${error.status}`;
    }
    throw error;
  }
}
