// The cold-start rows of `npm run bench`: what a bundle carries, read from a metafile, and the
// verdicts drawn from samples. Synthetic metafiles and samples only: no bundling, no timing.
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { BundleMeasurement, ColdStartSummary } from '../../../bench/cold-start.ts';
import { type ColdStartTargets, coldStartRows, judge, NEW_PASSWORD_FUNCTIONS } from '../../../bench/cold-start-rows.ts';
import { type BundleContents, bundleContents } from '../../../bench/lib/bundle-contents.ts';

const DICTIONARY = 'node_modules/@zxcvbn-ts/language-common/dist/passwords.json.mjs';

/** A metafile of one entry: `imports` are the entry's edges, `lazyFile` a file only import()ed. */
function metafile(edges: Metafile['inputs'][string]['imports'], bundled: Record<string, number>, externals: string[]): Metafile {
  return {
    inputs: {
      'functions/f.ts': { bytes: 100, imports: edges },
      'lib/lazy.ts': { bytes: 10, imports: [{ path: DICTIONARY, kind: 'import-statement' }] },
      [DICTIONARY]: { bytes: 380_000, imports: [] },
    },
    outputs: {
      'out/f.mjs': {
        bytes: 1,
        inputs: Object.fromEntries(Object.entries(bundled).map(([path, bytesInOutput]) => [path, { bytesInOutput }])),
        imports: externals.map((path) => ({ path, kind: 'import-statement' as const, external: true })),
        exports: ['handler'],
        entryPoint: 'functions/f.ts',
      },
    },
  };
}

describe('bundleContents', () => {
  it('tells a static import from one reached only through import()', () => {
    const meta = metafile(
      [
        { path: '@node-rs/argon2', kind: 'import-statement', external: true },
        { path: '@aws-sdk/client-ses', kind: 'dynamic-import', external: true },
        { path: 'lib/lazy.ts', kind: 'dynamic-import' },
      ],
      { 'functions/f.ts': 100, 'lib/lazy.ts': 10, [DICTIONARY]: 379_000 },
      ['@node-rs/argon2', '@aws-sdk/client-ses'],
    );
    expect(bundleContents(meta, 'out/f.mjs')).toEqual({ argon2: 'static', ses: 'lazy', dictionary: 'lazy', dictionaryBytes: 379_000 });
  });

  it('counts only what is in the output: a file tree-shaken to nothing is absent', () => {
    const meta = metafile([{ path: 'lib/lazy.ts', kind: 'import-statement' }], { 'functions/f.ts': 100, 'lib/lazy.ts': 0, [DICTIONARY]: 0 }, []);
    expect(bundleContents(meta, 'out/f.mjs')).toEqual({ argon2: 'no', ses: 'no', dictionary: 'no', dictionaryBytes: 0 });
  });

  it('finds a statically imported dictionary and SES v2', () => {
    const meta = metafile(
      [
        { path: 'lib/lazy.ts', kind: 'import-statement' },
        { path: '@aws-sdk/client-sesv2', kind: 'import-statement', external: true },
      ],
      { 'functions/f.ts': 100, 'lib/lazy.ts': 10, [DICTIONARY]: 379_000 },
      ['@aws-sdk/client-sesv2'],
    );
    expect(bundleContents(meta, 'out/f.mjs')).toMatchObject({ ses: 'static', dictionary: 'static' });
  });
});

const TARGETS: ColdStartTargets = {
  ratioToFloor: 1.15,
  ratioToFloorAny: 1.5,
  authorizer: { name: 'authorizer', maxBytes: 300_000, maxInitMs: 40 },
  maxBytes: 700_000,
  powertoolsMaxAddedMs: 10,
};
const NOTHING: BundleContents = { argon2: 'no', ses: 'no', dictionary: 'no', dictionaryBytes: 0 };

function bundle(name: string, cpuMs: number[], contents: Partial<BundleContents> = {}, bytes = 50_000): BundleMeasurement {
  return { name, entry: `functions/${name}`, bytes, contents: { ...NOTHING, ...contents }, samples: cpuMs.map((cpu) => ({ cpuMs: cpu, wallMs: cpu })) };
}

function summary(functions: BundleMeasurement[]): ColdStartSummary {
  return {
    floor: bundle('floor', [100, 100, 100]),
    powertools: bundle('powertools', [105, 106, 104]),
    functions,
    runs: 3,
    connectionsAtImport: 0,
    nodeOptions: '',
  };
}

describe('judge', () => {
  it('holds a function that neither hashes nor mails to 1.15× the floor, one that mails to 1.5×', () => {
    const [light, mailer] = judge(summary([bundle('me', [120, 120, 120]), bundle('forgot', [120, 120, 120], { ses: 'lazy' })]), TARGETS);
    expect(light!.ratio).toBeCloseTo(1.2);
    expect(light!.ratioTarget).toBe(1.15);
    expect(light!.ratioOk).toBe(false);
    expect(mailer!.ratioTarget).toBe(1.5);
    expect(mailer!.ratioOk).toBe(true);
  });

  it('uses medians and the same round of the floor for the noise', () => {
    const s = summary([bundle('me', [110, 500, 112])]);
    s.floor = bundle('floor', [100, 250, 100]);
    const [v] = judge(s, TARGETS);
    expect(v!.ratio).toBeCloseTo(112 / 100);
    expect(v!.roundRatios.p50).toBeCloseTo(1.12);
  });

  it('holds the authorizer to 40 ms and 300 kB besides its ratio', () => {
    const [slow] = judge(summary([bundle('authorizer', [41, 41, 41], {}, 100_000)]), TARGETS);
    expect(slow!.ratioOk).toBe(true);
    expect(slow!.initOk).toBe(false);
    const [big] = judge(summary([bundle('authorizer', [20, 20, 20], {}, 300_001)]), TARGETS);
    expect(big!.sizeOk).toBe(false);
  });

  it('checks the dictionary both ways against the functions that take a new password', () => {
    const listed = NEW_PASSWORD_FUNCTIONS[0]!;
    const verdicts = judge(summary([bundle(listed, [100, 100, 100]), bundle('openapi', [50, 50, 50], { dictionary: 'lazy', dictionaryBytes: 1 })]), TARGETS);
    expect(verdicts.map((v) => v.dictionaryOk)).toEqual([false, false]);
    const rows = coldStartRows(summary(verdicts.map((v) => v.m)), verdicts, TARGETS);
    expect(rows.find((row) => row[0] === '4e')![4]).toMatch(/^MISS \(.*openapi/);
  });
});

describe('coldStartRows', () => {
  it('passes only when every target is met, and names what misses', () => {
    const functions = [
      bundle('authorizer', [20, 20, 20]),
      bundle('me', [110, 110, 110]),
      bundle('login', [140, 140, 140], { argon2: 'static', ses: 'lazy' }),
      ...NEW_PASSWORD_FUNCTIONS.map((name) => bundle(name, [140, 140, 140], { argon2: 'static', dictionary: 'lazy', dictionaryBytes: 1 })),
    ];
    const good = summary(functions);
    const rows = coldStartRows(good, judge(good, TARGETS), TARGETS);
    expect(rows.filter((row) => row[4].includes('MISS'))).toEqual([]);

    const bad = summary([...functions.slice(0, 2), bundle('login', [160, 160, 160], { argon2: 'static', ses: 'static' }), ...functions.slice(3)]);
    const badRows = coldStartRows(bad, judge(bad, TARGETS), TARGETS);
    expect(badRows.find((row) => row[0] === '4c')![4]).toBe(`MISS (1 of ${functions.length})`);
    expect(badRows.find((row) => row[0] === '4c')![2]).toMatch(/over the target: login/);
    expect(badRows.find((row) => row[0] === '4g')![4]).toBe(`MISS (1 of ${functions.length})`);
  });

  it('judges what Powertools Metrics adds round by round against the floor of the same round', () => {
    const cheap = summary([]);
    cheap.floor = bundle('floor', [100, 300, 100]);
    cheap.powertools = bundle('powertools', [106, 305, 108]);
    expect(
      coldStartRows(cheap, [], TARGETS)
        .find((row) => row[0] === '4i')!
        .slice(2),
    ).toEqual(['+6.0 ms CPU (p25–p75 5.0–8.0)', '≤ 10 ms: lib/support/metrics.ts uses it', 'PASS']);
    const dear = summary([]);
    dear.powertools = bundle('powertools', [112, 111, 115]);
    expect(coldStartRows(dear, [], TARGETS).find((row) => row[0] === '4i')![4]).toBe('MISS');
  });
});
