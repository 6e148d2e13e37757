// The same property end to end, over HTTP through serverless-offline (the bundled Lambdas, API
// Gateway's event mapping): a hundred hostile requests spread over every route, each answered below
// 500 with the security headers and a body that parses. The in-process tests do the thousands.
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import type { HttpResult } from '../../lib/http/types.ts';
import { type GeneratedRequest, pathFor, request } from './support/arbitraries.ts';
import { credentialPool } from './support/credentials.ts';
import { allEndpoints, DIALECTS, type Endpoint, routerMethods } from './support/endpoints.ts';
import { examples } from './support/examples.ts';
import { expectWellFormed } from './support/expectations.ts';
import { loadHandlers } from './support/handlers.ts';

const RUNS = 100;

// The credentials are minted in this process, on the stack's table and key, so the stack accepts them.
await loadHandlers();
const endpoints = allEndpoints();
const apiUrl = inject('apiUrl').replace(/\/$/, '');

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // an HTTP header name
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+\s*(;\s*[\w-]+=[^;\s]+\s*)*$/;
/**
 * Node's HTTP server, like API Gateway (10 KB), refuses a request line and headers above its limit
 * (16 KB) with an answer of its own; each part is kept to a share of it.
 */
const MAX_PART = 3000;
/** Header values as HTTP can carry them (fetch refuses control characters and non-Latin-1 text). */
const headerText = (value: string) => value.replace(/[^\t\x20-\x7e]/g, '?').slice(0, MAX_PART);
/**
 * A path the emulator passes on unchanged: escapes that do not decode to UTF-8 (hapi refuses them
 * itself; the in-process tests send them) are escaped once more, and dot segments (which URL parsing
 * would resolve, reaching another route) become a plain word.
 */
const urlPath = (path: string) =>
  path
    .split('/')
    .map((segment) => (decodes(segment) ? segment : segment.replace(/%/g, '%25')))
    .map((segment) => (/^(\.|%2e){1,2}$/i.test(segment) ? 'dots' : segment))
    .join('/');

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** What fetch can send of a generated request (it refuses some methods, header names and GET bodies). */
function sendable(r: GeneratedRequest): GeneratedRequest {
  const upper = r.method.toUpperCase();
  // Node's HTTP parser knows a fixed list of methods (and fetch refuses some): others become POST.
  const method = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'].includes(upper) ? upper : 'POST';
  const headers = Object.fromEntries(
    Object.entries(r.headers)
      .filter(([name]) => TOKEN.test(name))
      // The emulator (hapi) answers a content type it cannot read itself, before any Lambda runs.
      .filter(([name, value]) => name !== 'content-type' || (MEDIA_TYPE.test(value) && !/^multipart\/(?!.*boundary=)/i.test(value)))
      .map(([name, value]) => [name, headerText(value)]),
  );
  const bytes = r.body === undefined ? undefined : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : Buffer.from(r.body, 'utf8');
  const hasBody = bytes !== undefined && !['GET', 'HEAD'].includes(method.toUpperCase());
  // Bytes that are not UTF-8 may reach the Lambda re-decoded by the emulator: no promise about them.
  const utf8 = !bytes || isUtf8(bytes);
  return {
    ...r,
    method,
    path: urlPath(r.path).slice(0, MAX_PART),
    ...(r.query ? { query: Object.fromEntries(Object.entries(r.query).map(([k, v]) => [k.slice(0, 100), v.slice(0, 500)])) } : {}),
    headers,
    ...(hasBody ? { body: bytes!.toString('base64'), isBase64Encoded: true } : { body: undefined, isBase64Encoded: false }),
    malformed: hasBody && utf8 && r.malformed,
    unknownField: hasBody && utf8 && r.unknownField,
  };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

async function send(r: GeneratedRequest): Promise<HttpResult> {
  const wellFormed = (s: string) => s.replace(/[\uD800-\uDFFF]/g, '?');
  const query = r.query ? `?${new URLSearchParams(Object.entries(r.query).map(([k, v]): [string, string] => [wellFormed(k), wellFormed(v)]))}` : '';
  const res = await fetch(`${apiUrl}${r.path}${query}`, {
    method: r.method,
    headers: r.headers,
    ...(r.body !== undefined ? { body: Buffer.from(r.body, 'base64') } : {}),
    redirect: 'manual',
  });
  return { statusCode: res.status, headers: Object.fromEntries(res.headers.entries()), body: await res.text() };
}

describe('every route over HTTP (serverless-offline)', () => {
  it(`answers ${RUNS} hostile requests across all routes below 500, with security headers and a parseable body`, { timeout: 120_000 }, async () => {
    const pool = await credentialPool();
    const all = examples(pool);
    const cases = fc.constantFrom(...endpoints).chain((endpoint: Endpoint) =>
      request({ methods: endpoint.methods, path: pathFor(endpoint.template, pool), fields: endpoint.fields, pool, example: all[endpoint.id] }).map((r) => ({
        endpoint,
        r: sendable(r),
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ endpoint, r }) => {
        const result = await send(r);
        // /whoami sits behind the Lambda authorizer: a refused token gets the gateway's own answer
        // (the emulator's even for OPTIONS), which no Lambda of ours shapes.
        if (endpoint.id === 'whoami' && /not authorized/.test(result.body ?? '')) {
          expect(result.statusCode).toBeLessThan(500);
          return;
        }
        const routes = DIALECTS.find((d) => d.file === endpoint.file)?.operations;
        // The stack runs without CORS_ORIGINS, so there are no CORS headers to check here.
        expectWellFormed(r, result, { ...endpoint, cors: false, methods: routes ? routerMethods(routes, r.path) : endpoint.methods });
      }),
      { numRuns: RUNS },
    );
    expect(endpoints.length).toBeGreaterThan(30);
  });
});
