// The hosted pages' script files, served from our own origin (no CDN, so the pages' CSP names only
// 'self'): @simplewebauthn/browser's UMD bundle, read from its package at run time (an external
// package of the assets function, as swagger-ui-dist is the docs function's), and our passkey.js.
// Imported for the packager only: serverless-esbuild puts into a function's package the external
// packages its bundle imports, and the file read below is found by path, which it cannot see. The
// module's ESM entry has no side effects in Node (it only defines functions).
import '@simplewebauthn/browser';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../domain/errors.ts';
import type { HttpResult } from '../http/types.ts';
import { PASSKEY_SCRIPT } from './passkey-script.ts';

const JS = 'text/javascript; charset=utf-8';

const ASSETS: Record<string, () => Promise<string>> = {
  // The package exports only its modules: find its folder through its CommonJS entry (script/index.js).
  'simplewebauthn-browser.js': () =>
    readFile(join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8'),
  'passkey.js': async () => PASSKEY_SCRIPT,
};

const cache = new Map<string, string>();

/** One of the files; 404 for any other name. */
export async function pageAsset(name: string): Promise<HttpResult> {
  // Own keys only: "constructor" must be "no such file", not Object's member.
  const load = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!load) throw new NotFoundError(`No such file: ${name}.`);
  let body = cache.get(name);
  if (body === undefined) {
    body = await load();
    cache.set(name, body);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': JS, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' },
    body,
  };
}
