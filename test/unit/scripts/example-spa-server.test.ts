// The example app's static server (scripts/example-spa/server.ts): it serves exactly the example's
// files, oauth4webapi's browser build and the page's configuration, with a CSP that lets the page
// talk only to itself and the issuer, and nothing else from the disk.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleServer, startExampleServer } from '../../../scripts/example-spa/server.ts';

const ISSUER = 'http://localhost:3999';
let server: ExampleServer;

beforeAll(async () => {
  server = await startExampleServer({ port: 0, config: () => ({ issuer: ISSUER, clientId: 'c_test' }) });
});
afterAll(() => server.close());

/** A raw request, so paths like /../x reach the server unnormalised (fetch would resolve them). */
function raw(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: 'localhost', port: server.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the example server', () => {
  it('listens on localhost and names its URL with a trailing slash (the redirect URI)', () => {
    expect(server.url).toBe(`http://localhost:${server.port}/`);
  });

  it('serves the page with a CSP: own scripts and styles only, fetches to itself and the issuer, never framed', async () => {
    const res = await raw('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<script type="module" src="./app.js"></script>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${ISSUER}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the configuration the page reads: the issuer and the client id', async () => {
    const res = await raw('/config.json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ issuer: ISSUER, clientId: 'c_test' });
  });

  it.each([
    ['/app.js', 'text/javascript; charset=utf-8', "from './vendor/oauth4webapi.js'"],
    ['/style.css', 'text/css; charset=utf-8', 'max-width'],
    // The package's browser build, an ES module with no imports of its own.
    ['/vendor/oauth4webapi.js', 'text/javascript; charset=utf-8', 'export async function discoveryRequest'],
  ])('serves %s', async (path, type, content) => {
    const res = await raw(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.body).toContain(content);
  });

  it('answers a query string on a known path as the path itself (the redirect back carries one)', async () => {
    const res = await raw('/?code=abc&state=xyz&iss=http%3A%2F%2Flocalhost%3A3999');
    expect(res.status).toBe(200);
    expect(res.body).toContain('Example single-page app');
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/index.html',
    '/examples/spa/app.js',
    '/vendor/',
    '/node_modules/oauth4webapi/package.json',
    '//etc/passwd',
  ])('serves nothing else: %s is 404', async (path) => {
    const res = await raw(path);
    expect(res.status).toBe(404);
    expect(res.body).toBe('Not found\n');
  });

  it('refuses other methods with 405 and Allow', async () => {
    const res = await raw('/', 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('frees its port when closed', async () => {
    const other = await startExampleServer({ port: 0, config: { issuer: ISSUER, clientId: 'c_other' } });
    await other.close();
    const again = await startExampleServer({ port: other.port, config: { issuer: ISSUER, clientId: 'c_other' } });
    expect(again.port).toBe(other.port);
    await again.close();
  });
});
