// Section 4's rows: every function's module initialisation as a ratio to the floor (a bundle that
// only creates the DynamoDB document client) measured in the same run, against the issue's
// targets; which functions hash passwords or send mail is read from their bundles, not a list.

import { httpLambdas } from '../lib/routes/table.ts';
import type { BundleMeasurement, ColdStartSummary } from './cold-start.ts';
import type { Presence } from './lib/bundle-contents.ts';
import { percentile } from './lib/stats.ts';
import { kB, markdown, type Row, ratio, status } from './lib/table.ts';

export interface ColdStartTargets {
  /** Init ≤ this × the floor for a function that neither hashes passwords nor sends mail. */
  ratioToFloor: number;
  /** Init ≤ this × the floor for every function. */
  ratioToFloorAny: number;
  authorizer: { name: string; maxBytes: number; maxInitMs: number };
  /** Bundle size of the other functions (the earlier issue's target). */
  maxBytes: number;
  /** What Powertools Metrics may add to a function's init, ms CPU (issue 14: use it only within this). */
  powertoolsMaxAddedMs: number;
}

/**
 * The functions that take a new password, so must refuse common ones and need the dictionary: those
 * the route table declares with an operation that sets a password. The dictionary row checks it both
 * ways (a listed function whose bundle lacks the dictionary is a MISS too).
 */
export const NEW_PASSWORD_FUNCTIONS: readonly string[] = httpLambdas()
  .filter((lambda) => lambda.operations.some((operation) => operation.setsPassword))
  .map((lambda) => lambda.name);

interface Quartiles {
  p25: number;
  p50: number;
  p75: number;
}

const quartiles = (values: readonly number[]): Quartiles => ({
  p25: percentile(values, 25),
  p50: percentile(values, 50),
  p75: percentile(values, 75),
});

/** One function's figures and verdicts. */
export interface FunctionVerdict {
  m: BundleMeasurement;
  cpu: Quartiles;
  wallMs: number;
  /** Median CPU init over the floor's median CPU init (same run). */
  ratio: number;
  /** Quartiles of the per-round ratios (this function's sample over the floor's of the same round): the noise. */
  roundRatios: Quartiles;
  hashes: boolean;
  mails: boolean;
  ratioTarget: number;
  ratioOk: boolean;
  /** The target lies between the per-round ratios' quartiles: another run may well decide otherwise. */
  withinNoise: boolean;
  /** Absolute init limit, if the function has one (the authorizer). */
  maxInitMs: number | undefined;
  initOk: boolean;
  maxBytes: number;
  sizeOk: boolean;
  checksNewPasswords: boolean;
  dictionaryOk: boolean;
}

const cpuOf = (m: BundleMeasurement) => m.samples.map((s) => s.cpuMs);

export function judge(summary: ColdStartSummary, targets: ColdStartTargets): FunctionVerdict[] {
  const floorCpu = cpuOf(summary.floor);
  const floorMedian = percentile(floorCpu, 50);
  return summary.functions.map((m): FunctionVerdict => {
    const cpu = cpuOf(m);
    const hashes = m.contents.argon2 !== 'no';
    const mails = m.contents.ses !== 'no';
    const ratioTarget = hashes || mails ? targets.ratioToFloorAny : targets.ratioToFloor;
    const isAuthorizer = m.name === targets.authorizer.name;
    const maxInitMs = isAuthorizer ? targets.authorizer.maxInitMs : undefined;
    const maxBytes = isAuthorizer ? targets.authorizer.maxBytes : targets.maxBytes;
    const roundRatios = quartiles(cpu.map((value, round) => value / floorCpu[round]!));
    const r = percentile(cpu, 50) / floorMedian;
    const checksNewPasswords = NEW_PASSWORD_FUNCTIONS.includes(m.name);
    const hasDictionary = m.contents.dictionary !== 'no';
    return {
      m,
      cpu: quartiles(cpu),
      wallMs: percentile(
        m.samples.map((s) => s.wallMs),
        50,
      ),
      ratio: r,
      roundRatios,
      hashes,
      mails,
      ratioTarget,
      ratioOk: r <= ratioTarget,
      withinNoise: roundRatios.p25 <= ratioTarget && ratioTarget <= roundRatios.p75,
      maxInitMs,
      initOk: maxInitMs === undefined || percentile(cpu, 50) <= maxInitMs,
      maxBytes,
      sizeOk: m.bytes <= maxBytes,
      checksNewPasswords,
      dictionaryOk: hasDictionary === checksNewPasswords,
    };
  });
}

const presence = (p: Presence, what: string) => (p === 'no' ? '—' : p === 'lazy' ? `${what} (lazy)` : what);
const names = (verdicts: readonly FunctionVerdict[]) => (verdicts.length ? verdicts.map((v) => v.m.name).join(', ') : 'none');
const range = (q: Quartiles, digits: number) => `${q.p25.toFixed(digits)}–${q.p75.toFixed(digits)}`;

/** The per-function table (RESULTS.md and stdout): figures, what the bundle carries, each verdict. */
export function coldStartTable(summary: ColdStartSummary, verdicts: readonly FunctionVerdict[]): string {
  const floorCpu = quartiles(cpuOf(summary.floor));
  const floorWall = percentile(
    summary.floor.samples.map((s) => s.wallMs),
    50,
  );
  const header = [
    'Function',
    'Bundle',
    'Init, CPU ms (p25–p75)',
    'Wall ms',
    '× floor (per round p25–p75)',
    'argon2',
    'SES',
    'Dictionary',
    'Target',
    'Init',
    'Size',
    'Dictionary check',
  ];
  const floorRow = [
    `**floor** (${summary.floor.entry}.ts)`,
    kB(summary.floor.bytes),
    `${floorCpu.p50.toFixed(1)} (${range(floorCpu, 1)})`,
    floorWall.toFixed(1),
    '1.00×',
    presence(summary.floor.contents.argon2, 'yes'),
    presence(summary.floor.contents.ses, 'yes'),
    presence(summary.floor.contents.dictionary, 'yes'),
    'the floor',
    '—',
    '—',
    '—',
  ];
  const rows = verdicts.map((v) => [
    `${v.m.name} (${v.m.entry}.ts)`,
    kB(v.m.bytes),
    `${v.cpu.p50.toFixed(1)} (${range(v.cpu, 1)})`,
    v.wallMs.toFixed(1),
    `${ratio(v.ratio)} (${range(v.roundRatios, 2)})`,
    presence(v.m.contents.argon2, 'yes'),
    presence(v.m.contents.ses, 'yes'),
    v.m.contents.dictionary === 'no' ? '—' : `${presence(v.m.contents.dictionary, kB(v.m.contents.dictionaryBytes))}`,
    [
      `≤ ${ratio(v.ratioTarget)}`,
      ...(v.maxInitMs === undefined ? [] : [`≤ ${v.maxInitMs} ms`]),
      `≤ ${v.maxBytes / 1000} kB`,
      v.checksNewPasswords ? 'dictionary' : 'no dictionary',
    ].join(' · '),
    `${status(v.ratioOk && v.initOk)}${v.withinNoise ? ' (within noise)' : ''}`,
    status(v.sizeOk),
    status(v.dictionaryOk),
  ]);
  return markdown(header, [floorRow, ...rows]);
}

/** The rows of the main table: the floor, one row per target (failing functions named), the checks. */
export function coldStartRows(summary: ColdStartSummary, verdicts: readonly FunctionVerdict[], targets: ColdStartTargets): Row[] {
  const floorCpu = quartiles(cpuOf(summary.floor));
  const light = verdicts.filter((v) => !v.hashes && !v.mails);
  const worst = (vs: readonly FunctionVerdict[]) => {
    const top = [...vs].sort((a, b) => b.ratio - a.ratio)[0];
    return top ? `highest: ${top.m.name} ${ratio(top.ratio)}` : 'no functions';
  };
  const ratioRow = (id: string, what: string, vs: readonly FunctionVerdict[], target: number): Row => {
    const over = vs.filter((v) => v.ratio > target);
    return [
      id,
      `${what} (${vs.length}): init ≤ ${ratio(target)} the floor`,
      `${worst(vs)}; over the target: ${names(over)}`,
      `≤ ${ratio(target)} floor`,
      over.length === 0 ? 'PASS' : `MISS (${over.length} of ${vs.length})`,
    ];
  };
  const authorizer = verdicts.find((v) => v.m.name === targets.authorizer.name);
  const others = verdicts.filter((v) => v !== authorizer);
  const tooBig = others.filter((v) => !v.sizeOk);
  const carriers = verdicts.filter((v) => v.m.contents.dictionary !== 'no');
  const dictionaryWrong = verdicts.filter((v) => !v.dictionaryOk);
  const unknownListed = NEW_PASSWORD_FUNCTIONS.filter((name) => !verdicts.some((v) => v.m.name === name));
  const wrong = [...dictionaryWrong.map((v) => v.m.name), ...unknownListed];
  // A static import makes a function pay for SES at every cold start, mail or not; and it is what
  // earns the looser ratio target, so this row keeps that target from rewarding it.
  const sesAtImport = verdicts.filter((v) => v.m.contents.ses === 'static');
  const rows: Row[] = [
    [
      '4a',
      `the floor: a bundle that only creates the DynamoDB document client (${summary.floor.entry}.ts), ${kB(summary.floor.bytes)}`,
      `init ${floorCpu.p50.toFixed(1)} ms CPU (p25–p75 ${range(floorCpu, 1)})`,
      'the floor',
      '—',
    ],
    ratioRow('4b', 'functions that neither hash passwords nor send mail', light, targets.ratioToFloor),
    ratioRow('4c', 'every function', verdicts, targets.ratioToFloorAny),
  ];
  if (authorizer) {
    rows.push([
      '4d',
      `authorizer (${authorizer.m.entry}.ts)`,
      `${kB(authorizer.m.bytes)} · init ${authorizer.cpu.p50.toFixed(1)} ms CPU, ${authorizer.wallMs.toFixed(1)} ms wall · ${ratio(authorizer.ratio)} floor`,
      `≤ ${targets.authorizer.maxBytes / 1000} kB · ≤ ${targets.authorizer.maxInitMs} ms`,
      `${status(authorizer.sizeOk)} · ${status(authorizer.initOk)}`,
    ]);
  } else {
    rows.push(['4d', `authorizer: no function named ${targets.authorizer.name} in serverless.yml`, '—', 'present', 'MISS']);
  }
  rows.push(
    [
      '4e',
      'bundles of functions that do not check new passwords do not contain the dictionary (@zxcvbn-ts/language-common passwords)',
      `carried by: ${names(carriers)}; functions that check new passwords: ${NEW_PASSWORD_FUNCTIONS.join(', ')}${unknownListed.length ? ` (not in serverless.yml: ${unknownListed.join(', ')})` : ''}`,
      'exactly those carry it',
      wrong.length === 0 ? 'PASS' : `MISS (${wrong.join(', ')})`,
    ],
    [
      '4f',
      `bundle size of the other functions (${others.length})`,
      `largest: ${[...others].sort((a, b) => b.m.bytes - a.m.bytes)[0]?.m.name ?? '—'} ${kB(Math.max(0, ...others.map((v) => v.m.bytes)))}; over: ${names(tooBig)}`,
      `≤ ${targets.maxBytes / 1000} kB`,
      status(tooBig.length === 0),
    ],
    [
      '4g',
      'the SES client is loaded only when a function first sends mail (no bundle imports it statically)',
      `static: ${names(sesAtImport)}; lazy: ${names(verdicts.filter((v) => v.m.contents.ses === 'lazy'))}`,
      'no static import',
      sesAtImport.length === 0 ? 'PASS' : `MISS (${sesAtImport.length} of ${verdicts.length})`,
    ],
    powertoolsRow(summary, targets.powertoolsMaxAddedMs),
    [
      '4h',
      'connections to DynamoDB or SES opened while importing (all bundles, all runs)',
      String(summary.connectionsAtImport),
      '0: nothing that can wait happens at import',
      status(summary.connectionsAtImport === 0),
    ],
  );
  return rows;
}

/** Row 4i: the probe (the floor plus Powertools Metrics) minus the floor, round by round in the same run. */
function powertoolsRow(summary: ColdStartSummary, maxAddedMs: number): Row {
  const floor = cpuOf(summary.floor);
  const added = quartiles(cpuOf(summary.powertools).map((value, round) => value - floor[round]!));
  return [
    '4i',
    `what Powertools Metrics adds to a function's init (${summary.powertools.entry}.ts minus the floor, per round), ${kB(summary.powertools.bytes - summary.floor.bytes)} of bundle`,
    `+${added.p50.toFixed(1)} ms CPU (p25–p75 ${range(added, 1)})`,
    `≤ ${maxAddedMs} ms: lib/support/metrics.ts uses it`,
    status(added.p50 <= maxAddedMs),
  ];
}

/** What the bundles say about each function, for the details and the console. */
export function derivedFromBundles(verdicts: readonly FunctionVerdict[]): string {
  const by = (pick: (v: FunctionVerdict) => boolean) => names(verdicts.filter(pick));
  return [
    `hash or verify passwords (bundle imports @node-rs/argon2): ${by((v) => v.hashes)}`,
    `send mail (bundle imports @aws-sdk/client-ses): ${by((v) => v.mails)}`,
    `carry the password dictionary: ${by((v) => v.m.contents.dictionary !== 'no')}`,
  ].join('; ');
}
