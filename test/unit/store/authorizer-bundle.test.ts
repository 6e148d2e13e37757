// The authorizer's cold start depends on its bundle not loading the AWS SDK (~90 ms of module
// loading; bench/README.md): built as serverless.yml builds it, it must import nothing but Node's
// own modules, and stay within the 300 kB the benchmark allows it.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

interface EsbuildSettings {
  exclude?: string[];
  external?: string[];
  target?: string;
}

describe('the authorizer bundle', () => {
  it('imports no AWS SDK and nothing else outside Node.js, and stays under 300 kB', async () => {
    const settings = (load(readFileSync('serverless.yml', 'utf8')) as { custom: { esbuild: EsbuildSettings } }).custom.esbuild;
    const result = await build({
      entryPoints: ['functions/authorizer.ts'],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: settings.target ?? 'node22',
      external: [...(settings.exclude ?? []), ...(settings.external ?? [])],
      write: false,
      metafile: true,
      outfile: 'authorizer.mjs',
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs)[0]!;
    const externals = output.imports.filter((i) => i.external).map((i) => i.path);
    expect(externals.filter((path) => !path.startsWith('node:'))).toEqual([]);
    expect(output.bytes).toBeLessThan(300_000);
    // And the same holds for what it is made of: no SDK module was bundled in either.
    expect(Object.keys(output.inputs).filter((path) => path.includes('@aws-sdk') || path.includes('@smithy'))).toEqual([]);
  });
});
