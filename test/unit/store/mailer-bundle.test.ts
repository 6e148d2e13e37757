// The SES client costs cold-start time only in a function that sends mail, and only at its first
// send: built as serverless.yml builds functions, the mailer reaches @aws-sdk/client-ses through a
// dynamic import, never a static one.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the mailer bundle', () => {
  it('imports @aws-sdk/client-ses dynamically (at the first send), not when the module loads', async () => {
    const result = await build({
      entryPoints: ['lib/mail/mailer.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      external: ['@aws-sdk/*'],
      write: false,
      metafile: true,
      outfile: 'mailer.mjs',
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs)[0]!.imports.filter((i) => i.path.startsWith('@aws-sdk/'));
    expect(imports).toEqual([{ path: '@aws-sdk/client-ses', kind: 'dynamic-import', external: true }]);
  });
});
