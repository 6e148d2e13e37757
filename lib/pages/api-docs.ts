// The API reference page (Swagger UI, served from the swagger-ui-dist package by the docs function
// itself: no CDN), rendering GET /openapi.json, and its files. Only functions/docs.ts imports this,
// so only that function's package carries swagger-ui-dist.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import swaggerUiPath from 'swagger-ui-dist/absolute-path.js';
import { NotFoundError } from '../domain/errors.ts';
import type { HttpResult } from '../http/types.ts';
import { html } from '../support/html.ts';

/** Our one script: start Swagger UI on the document (a file, so the CSP needs no inline script). */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

const ASSETS: Record<string, { type: string; file?: string; text?: string }> = {
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: 'swagger-ui-bundle.js' },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', file: 'swagger-ui.css' },
  'init.js': { type: 'text/javascript; charset=utf-8', text: INIT_SCRIPT },
};

// Swagger UI sets inline style attributes, hence 'unsafe-inline' for styles only; scripts only from here.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const cache = new Map<string, string>();

/** One of the page's files (Swagger UI's script and stylesheet, and our init script); 404 for anything else. */
export async function apiDocsAsset(name: string): Promise<HttpResult> {
  // Own keys only: "constructor" or "toString" must be "no such file", not Object's members.
  const spec = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!spec) throw new NotFoundError(`No such file: ${name}.`);
  let body = spec.text ?? cache.get(name);
  if (body === undefined) {
    body = await readFile(join(swaggerUiPath(), spec.file!), 'utf8');
    cache.set(name, body);
  }
  return { statusCode: 200, headers: { 'content-type': spec.type, 'cache-control': 'public, max-age=86400' }, body };
}

/** The reference page, titled for the product. */
export function apiDocsPage(productName: string): HttpResult {
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${productName} API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`.value;
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'public, max-age=300' },
    body,
  };
}
