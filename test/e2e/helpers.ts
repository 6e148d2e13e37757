// Shared helpers for the end-to-end tests: HTTP calls to the stack started by test/global-setup.ts,
// unique users so test files stay independent (and can run in parallel), and JWT plumbing.
import { randomBytes } from 'node:crypto';
import { expect, inject } from 'vitest';

/** Base URL of the API under serverless-offline, without a trailing slash. */
export const apiUrl = (): string => inject('apiUrl').replace(/\/$/, '');

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  body: any;
}

export interface ApiInit extends Omit<RequestInit, 'body'> {
  /** Sent as application/json (JSON.stringify'd) unless `body` is given. */
  json?: unknown;
  body?: RequestInit['body'];
}

/** fetch() against the API; never throws on HTTP errors, always reads the whole body. */
export async function api(path: string, init: ApiInit = {}): Promise<ApiResponse> {
  const { json, headers, ...rest } = init;
  const finalHeaders = new Headers(headers);
  let body = init.body;
  if (json !== undefined && body === undefined) {
    body = JSON.stringify(json);
    if (!finalHeaders.has('content-type')) finalHeaders.set('content-type', 'application/json');
  }
  const method = rest.method ?? (body !== undefined ? 'POST' : 'GET');
  const res = await fetch(`${apiUrl()}${path}`, { ...rest, method, headers: finalHeaders, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** A random suffix, safe in usernames and email local parts. */
export const suffix = (): string => randomBytes(6).toString('hex');

export interface NewUser {
  username: string;
  email: string;
  password: string;
}

/** A fresh, unique user with a strong random password; `prefix` makes failures easier to read. */
export function newUser(prefix = 'u'): NewUser {
  const id = suffix();
  return {
    username: `${prefix}_${id}`,
    email: `${prefix}.${id}@example.com`,
    password: `Pw-${randomBytes(12).toString('base64url')}`,
  };
}

/** Registers `user` (a fresh one by default) and asserts the 201; returns the user and the created view. */
export async function registerUser(user: NewUser = newUser()): Promise<{ user: NewUser; created: any }> {
  const res = await api('/register', { json: user });
  expect(res.status, res.text).toBe(201);
  return { user, created: res.body.user };
}

export interface Session {
  user: NewUser;
  accessToken: string;
  refreshToken: string;
  body: any;
}

/** Registers a fresh user and logs in; asserts both succeed. */
export async function loggedInUser(prefix = 'u'): Promise<Session> {
  const { user } = await registerUser(newUser(prefix));
  const res = await api('/login', { json: { username: user.username, password: user.password } });
  expect(res.status, res.text).toBe(200);
  return { user, accessToken: res.body.access_token, refreshToken: res.body.refresh_token, body: res.body };
}

/** Asserts an RFC 9457 problem response with the given status, and returns its body. */
export function expectProblem(res: ApiResponse, status: number): any {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(res.body.type.length).toBeGreaterThan(0);
  expect(res.body.title.length).toBeGreaterThan(0);
  expect(res.body.detail.length).toBeGreaterThan(0);
  expectNoLeak(res);
  return res.body;
}

/** Nothing that looks like a stack trace or an internal exception name in the body. */
export function expectNoLeak(res: ApiResponse): void {
  expect(res.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|\.ts:\d+|\.m?js:\d+|node_modules|TypeError|ReferenceError|SyntaxError|Exception/);
}

/** The field names of a problem's `errors` list. */
export const errorFields = (problem: any): string[] => (problem.errors ?? []).map((e: { field: string }) => e.field);

/** The headers every response carries, errors included. */
export function expectSecurityHeaders(res: ApiResponse, cacheControl: string | RegExp = 'no-store'): void {
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  if (typeof cacheControl === 'string') expect(res.headers.get('cache-control')).toBe(cacheControl);
  else expect(res.headers.get('cache-control')).toMatch(cacheControl);
}

// --- JWT plumbing (tests build forged tokens by hand, so they do not depend on a library's checks) ---

export const b64url = (data: string | Buffer | Uint8Array): string => Buffer.from(data).toString('base64url');

export const fromB64url = (text: string): Buffer => Buffer.from(text, 'base64url');

export interface JwtParts {
  header: Record<string, any>;
  payload: Record<string, any>;
  /** The three encoded segments. */
  segments: [string, string, string];
}

export function decodeJwtParts(token: string): JwtParts {
  const segments = token.split('.');
  expect(segments).toHaveLength(3);
  const [h, p, s] = segments as [string, string, string];
  return { header: JSON.parse(fromB64url(h).toString('utf8')), payload: JSON.parse(fromB64url(p).toString('utf8')), segments: [h, p, s] };
}

export const encodeJson = (value: unknown): string => b64url(JSON.stringify(value));

/** Fetches the published JWKS. */
export async function jwks(): Promise<any[]> {
  const res = await api('/.well-known/jwks.json');
  expect(res.status, res.text).toBe(200);
  return res.body.keys;
}

/**
 * Polls until `probe` answers `status`, and fails if that takes more than `withinMs`. Revocation
 * state is cached for at most 1 s per Lambda instance, so this is the promise being tested.
 */
export async function becomes(status: number, probe: () => Promise<ApiResponse>, withinMs = 1500): Promise<ApiResponse> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await probe();
    if (res.status === status) return res;
    if (Date.now() > deadline) throw new Error(`still ${res.status} after ${withinMs} ms: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
