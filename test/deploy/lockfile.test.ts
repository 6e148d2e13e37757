// `npm ci` refuses a package-lock.json in which a package's optional dependency has no entry
// ("Missing: X@ from lock file"), even one for another platform. That happens when a package's
// newest version has platform binaries the registry does not carry (@node-rs/bcrypt 2.0.0 had
// only linux-x64-gnu): `npm install` here accepts it, CI's clean `npm ci` fails in seconds.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  optionalDependencies?: Record<string, string>;
}

/** Where Node's resolution would find `name` from the package at `path`: its own node_modules, then each parent's. */
function resolves(packages: Record<string, LockEntry>, path: string, name: string): boolean {
  let from = path;
  for (;;) {
    if (`${from ? `${from}/` : ''}node_modules/${name}` in packages) return true;
    if (!from) return false;
    const cut = from.lastIndexOf('/node_modules/');
    from = cut < 0 ? '' : from.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  it('has an entry for every optional dependency of every package, as `npm ci` requires', async () => {
    const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
    const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((name) => !resolves(lock.packages, path, name))
        .map((name) => `${path || '(root)'} → ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
