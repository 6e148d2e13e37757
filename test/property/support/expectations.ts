// What every answer of every endpoint must look like, whatever was sent: never a 5xx, the security
// headers, a body that parses (JSON, or an HTML page where the route serves pages), errors in the
// route's own envelope (problem+json, or the compatibility dialect's), 4xx for bodies that can never
// be accepted, and CORS exactly for the allowed origins.
import { expect } from 'vitest';
import { TOKEN_EXPIRED_MESSAGE } from '../../../lib/domain/errors.ts';
import type { HttpResult } from '../../../lib/http/types.ts';
import { BODY_METHODS, type GeneratedRequest } from './arbitraries.ts';
import { ALLOWED_ORIGINS } from './handlers.ts';

/** How a route shapes its errors: problem+json natively; Django REST Framework, TCAP or Opentact on compatibility routes. */
export type Envelope = 'problem' | 'oauth' | 'drf' | 'tcap' | 'opentact' | 'introspection';

export interface AnswerRules {
  envelope: Envelope;
  /** The route may answer with an HTML page (the account pages, the docs page). */
  pages?: boolean;
  /** The route's successful answers are public documents that may be cached. */
  publicCache?: boolean;
  /** The route serves static assets (the docs' script and stylesheet). */
  assets?: boolean;
  /** Goes through the shared plumbing, so CORS applies (the catch-all 404 does not). */
  cors?: boolean;
  /** The methods the route answers (CORS preflights name them). */
  methods: readonly string[];
  /**
   * Unknown body fields are ignored, not refused (RFC 7591 §2: client metadata the server does not
   * understand; Django REST Framework's serializers, so the TCAP and miniSASS dialects).
   */
  ignoresUnknownFields?: boolean;
}

const header = (result: HttpResult, name: string): string | undefined => result.headers?.[name];

function expectEnvelope(result: HttpResult, body: any, envelope: Envelope, label: string) {
  const type = header(result, 'content-type') ?? '';
  // /introspect: a refused OAuth client gets OAuth's JSON (RFC 7662 §2.3), everything else problem+json.
  if (envelope === 'introspection') {
    return expectEnvelope(result, body, body?.error === 'invalid_client' && result.statusCode === 401 ? 'oauth' : 'problem', label);
  }
  if (envelope === 'problem') {
    expect(type, label).toMatch(/^application\/problem\+json/);
    expect(body, label).toMatchObject({ status: result.statusCode, code: expect.any(String), detail: expect.any(String), title: expect.any(String) });
    expect(body.type, label).toBe(`urn:auth-service:problem:${body.code}`);
    if (body.errors !== undefined) {
      expect(Array.isArray(body.errors), label).toBe(true);
      for (const e of body.errors) expect(e, label).toEqual({ field: expect.any(String), message: expect.any(String) });
    }
  } else if (envelope === 'oauth') {
    // OAuth 2.1 §3.2.4: {error, error_description}, never cached.
    expect(type, label).toMatch(/^application\/json/);
    expect(body, label).toEqual({ error: expect.stringMatching(/^[a-z_]+$/), error_description: expect.stringMatching(/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/) });
    expect(header(result, 'cache-control'), label).toBe('no-store');
  } else if (envelope === 'opentact') {
    expect(type, label).toMatch(/^application\/json/);
    expect(body, label).toMatchObject({ success: false, error: { code: expect.any(String), message: expect.any(String) } });
  } else {
    expect(type, label).toMatch(/^application\/json/);
    expect(body !== null && typeof body === 'object' && !Array.isArray(body), label).toBe(true);
    // DRF's {"detail"} (with simplejwt's code and messages for tokens), the miniSASS login view's
    // own {"error"}, or field errors.
    if (typeof body.detail === 'string') {
      if (body.code !== undefined) expect(body.code, label).toEqual(expect.any(String));
      if (body.messages !== undefined) expect(body.messages, label).toEqual([expect.objectContaining({ message: expect.any(String) })]);
    } else if (typeof body.error === 'string') {
      expect(Object.keys(body), label).toEqual(['error']);
    } else {
      // DRF's field errors: {"field": ["message", ...]}
      expect(result.statusCode, label).toBe(400);
      for (const messages of Object.values(body)) expect(messages, label).toEqual(expect.arrayContaining([expect.any(String)]));
    }
  }
}

function expectCors(request: GeneratedRequest, result: HttpResult, rules: AnswerRules, label: string) {
  const origin = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'origin')?.[1];
  const allowed = origin !== undefined && ALLOWED_ORIGINS.includes(origin);
  expect(header(result, 'vary') ?? '', label).toMatch(/\bOrigin\b/i);
  expect(header(result, 'access-control-allow-credentials'), label).toBeUndefined();
  if (!allowed) {
    expect(header(result, 'access-control-allow-origin'), label).toBeUndefined();
    return;
  }
  expect(header(result, 'access-control-allow-origin'), label).toBe(origin);
  const preflight = request.method.toUpperCase() === 'OPTIONS' && 'access-control-request-method' in request.headers;
  if (preflight && result.statusCode !== 404) {
    expect(result.statusCode, label).toBe(204);
    expect(header(result, 'access-control-allow-methods')?.split(', ').sort(), label).toEqual([...rules.methods].sort());
    expect(header(result, 'access-control-allow-headers') ?? '(none)', label).toMatch(/authorization.*content-type/);
    expect(header(result, 'access-control-max-age'), label).toBe('600');
  } else {
    expect(header(result, 'access-control-expose-headers') ?? '(none)', label).toMatch(/retry-after/);
  }
}

/** Checks one answer against every rule; `label` (the request) is shown when one fails. */
export function expectWellFormed(request: GeneratedRequest, result: HttpResult, rules: AnswerRules): void {
  const label = `${request.method} ${request.path} → ${result?.statusCode} ${String(result?.body).slice(0, 300)}`;
  expect(Number.isInteger(result.statusCode), label).toBe(true);
  expect(result.statusCode, label).toBeGreaterThanOrEqual(200);
  expect(result.statusCode, label).toBeLessThan(500);

  // Security headers on every answer; Cache-Control: no-store unless a public document succeeded.
  expect(header(result, 'strict-transport-security') ?? '(none)', label).toMatch(/^max-age=\d+/);
  expect(header(result, 'x-content-type-options'), label).toBe('nosniff');
  expect(header(result, 'referrer-policy'), label).toBe('no-referrer');
  const cache = header(result, 'cache-control');
  if (rules.publicCache && result.statusCode === 200 && request.method.toUpperCase() !== 'OPTIONS') expect(cache, label).toMatch(/^public, max-age=\d+$/);
  else expect(cache, label).toBe('no-store');

  if (result.statusCode === 405) expect(header(result, 'allow'), label).toMatch(/OPTIONS/);
  if (request.malformed && BODY_METHODS.has(request.method.toUpperCase())) expect(result.statusCode, label).toBeGreaterThanOrEqual(400);
  if (request.unknownField && !rules.ignoresUnknownFields && BODY_METHODS.has(request.method.toUpperCase()))
    expect(result.statusCode, label).toBeGreaterThanOrEqual(400);

  const type = header(result, 'content-type') ?? '';
  const text = result.body ?? '';
  if (result.statusCode === 204) {
    expect(text, label).toBe('');
  } else if (type.startsWith('text/html')) {
    expect(rules.pages, label).toBe(true);
    expect(text.slice(0, 15).toLowerCase(), label).toBe('<!doctype html>');
    expect(header(result, 'content-security-policy'), label).toBeDefined();
  } else if (/^text\/(javascript|css)/.test(type)) {
    expect(rules.assets && result.statusCode === 200, label).toBe(true);
  } else if (type.startsWith('text/plain')) {
    // TCAP's documented answer to an expired token, verbatim.
    expect(rules.envelope, label).toBe('tcap');
    expect([result.statusCode, text], label).toEqual([403, TOKEN_EXPIRED_MESSAGE]);
  } else {
    let body: unknown;
    expect(() => (body = JSON.parse(text)), label).not.toThrow();
    if (result.statusCode >= 400) expectEnvelope(result, body, rules.envelope, label);
  }

  if (rules.cors) expectCors(request, result, rules, label);
}
