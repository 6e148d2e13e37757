// Each section can be bundled alone: a function that reads one section carries no other section's
// schemas (the lead checks the same with each Lambda's esbuild metafile).
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const folder = new URL('../../../lib/config/sections/', import.meta.url);
const files = readdirSync(folder).filter((file) => file.endsWith('.ts'));

describe('lib/config/sections', () => {
  it('has the sections the docs list', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });

  it.each(files)('%s bundles without any other section', async (file) => {
    const result = await build({
      entryPoints: [new URL(file, folder).pathname],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
    const sections = Object.keys(result.metafile.inputs).filter((input) => input.includes('lib/config/sections/'));
    expect(sections).toEqual([`lib/config/sections/${file}`]);
    expect(Object.keys(result.metafile.inputs).some((input) => input.endsWith('lib/config/all.ts'))).toBe(false);
  });
});
