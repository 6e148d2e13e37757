// OAuth helpers for the tests of the authorization side: clients written straight into the store,
// PKCE pairs, and a tiny browser stand-in for fetch (a cookie jar, redirects not followed) so an
// end-to-end test can walk /oauth/authorize → /oauth/login → the client's redirect URI by hand.
import { createHash, randomBytes } from 'node:crypto';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';

/** A registered client (third-party, public) with `overrides`; a fresh id each time. */
export async function storedClient(deps: Pick<Dependencies, 'oauthClients'>, overrides: Partial<OAuthClient> = {}): Promise<OAuthClient> {
  const now = Date.now();
  const client: OAuthClient = {
    clientId: `c_${randomBytes(16).toString('base64url')}`,
    name: 'Test App',
    type: 'public',
    tokenEndpointAuthMethod: 'none',
    redirectUris: ['https://app.example/callback'],
    postLogoutRedirectUris: ['https://app.example/signed-out'],
    scopes: ['openid', 'profile', 'email'],
    grantTypes: ['authorization_code', 'refresh_token'],
    firstParty: false,
    resources: [],
    registeredBy: 'admin',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await deps.oauthClients.create(client);
  return client;
}

/** RFC 7636: a verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The Location header, if any. */
  location: string | undefined;
}

/** A browser stand-in: keeps cookies by name, never follows redirects, sends what a form post sends. */
export class CookieBrowser {
  readonly cookies = new Map<string, string>();
  readonly setCookieLines: string[] = [];

  constructor(private readonly base: string) {}

  async get(pathOrUrl: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(pathOrUrl, { method: 'GET', headers });
  }

  /** A form post, as our pages' forms send it (Origin: null under Referrer-Policy no-referrer). */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: 'null', 'sec-fetch-site': 'same-origin', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  private async send(pathOrUrl: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...init.headers } });
    for (const line of res.headers.getSetCookie()) {
      this.setCookieLines.push(line);
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (/Max-Age=0\b/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') ?? undefined };
  }
}

/** A hidden field's value in a page. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`No hidden field ${name} in the page`);
  return match[1]!;
}
