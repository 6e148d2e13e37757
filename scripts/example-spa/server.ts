// Serves examples/spa/ (a static single-page app, no build step) for `npm start` and the browser
// tests: its files, oauth4webapi's browser build as an ES module, and /config.json telling the page
// which issuer and client to use. Only a fixed list of files is served, so no request path ever
// reaches the file system.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/spa/', import.meta.url));

/** Request path → file on disk and its media type. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: `${EXAMPLE_DIR}index.html`, type: 'text/html; charset=utf-8' },
  '/app.js': { file: `${EXAMPLE_DIR}app.js`, type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: `${EXAMPLE_DIR}style.css`, type: 'text/css; charset=utf-8' },
  // The package's own browser build: one file without imports, so the page imports it as is.
  '/vendor/oauth4webapi.js': { file: require.resolve('oauth4webapi'), type: 'text/javascript; charset=utf-8' },
};

/** What the page needs to know; served as /config.json. */
export interface ExampleConfig {
  /** The issuer identifier; the page discovers everything else from it. */
  issuer: string;
  clientId: string;
}

/** A running example server. */
export interface ExampleServer {
  /** The example's URL, with a trailing slash: also its redirect and post-logout redirect URI. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The page may talk only to itself and the issuer, run only its own scripts, and not be framed;
 * the sign-in and sign-out navigations are top-level, which the CSP does not restrict.
 */
function contentSecurityPolicy(issuer: string): string {
  const issuerOrigin = new URL(issuer).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${issuerOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Starts the server on `port` (0: any free port) on localhost; `config` may be given once the URL is known. */
export async function startExampleServer(options: { port: number; config: ExampleConfig | ((url: string) => ExampleConfig) }): Promise<ExampleServer> {
  let config: ExampleConfig | undefined;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...common, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    if (path === '/config.json' && config) {
      response.writeHead(200, { ...common, 'content-type': 'application/json' }).end(JSON.stringify(config));
      return;
    }
    const entry = FILES[path];
    if (!entry || !config) {
      response.writeHead(404, { ...common, 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    readFile(entry.file).then(
      (body) => {
        const headers: Record<string, string> = { ...common, 'content-type': entry.type };
        if (path === '/') Object.assign(headers, { 'content-security-policy': contentSecurityPolicy(config!.issuer), 'x-frame-options': 'DENY' });
        response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
      },
      () => response.writeHead(500, { ...common, 'content-type': 'text/plain; charset=utf-8' }).end('Cannot read the file\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, 'localhost', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}/`;
  config = typeof options.config === 'function' ? options.config(url) : options.config;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
