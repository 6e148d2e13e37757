// The property tests must cover every endpoint: every HTTP function in serverless.yml and every
// route of every compatibility dialect. A new one without an entry fails here, not silently.
import { describe, expect, it } from 'vitest';
import { allEndpoints, DIALECTS, httpFunctionsOf, NATIVE } from './support/endpoints.ts';
import { HANDLER_FILES, loadHandlers } from './support/handlers.ts';

await loadHandlers();

describe('the endpoints the property tests cover', () => {
  const functions = httpFunctionsOf();

  it('are every HTTP function of serverless.yml, and nothing else', () => {
    const native = functions.filter((fn) => !fn.file.startsWith('compat-')).map((fn) => fn.name);
    expect(native.sort()).toEqual(Object.keys(NATIVE).sort());
    expect(functions.map((fn) => fn.file).sort()).toEqual([...HANDLER_FILES].sort());
    expect(DIALECTS.map((d) => d.file).sort()).toEqual(
      functions
        .map((fn) => fn.file)
        .filter((file) => file.startsWith('compat-'))
        .sort(),
    );
  });

  it('include every route of every dialect', () => {
    const covered = new Set(allEndpoints().map((e) => e.id));
    for (const dialect of DIALECTS) {
      for (const route of dialect.operations) expect(covered).toContain(`${dialect.file} ${route.method} ${route.path}`);
    }
    // Every path of every native function (e.g. /docs and /docs/{file}).
    expect(allEndpoints().filter((e) => !e.file.startsWith('compat-'))).toHaveLength(
      functions.filter((fn) => !fn.file.startsWith('compat-')).flatMap((fn) => fn.paths).length,
    );
  });
});
