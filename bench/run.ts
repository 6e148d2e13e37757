// `npm run bench`: the performance figures of the service against their targets, as one table on
// stdout and in bench/RESULTS.md (with the machine they were measured on). Progress goes to
// stderr. How each figure is measured: bench/README.md. Not part of `npm test`.
//  1. verify hot path (in process, no database)      3. login vs argon2id alone (DynamoDB Local)
//  2. authorizer decision (DynamoDB Local)            4. cold start of every function's bundle
// Section 5, the capacity and cost model, is docs/capacity.md. 7: bulk import vs bare transactions (DynamoDB Local).
// `npm run bench -- --only cold-start [--runs N]` runs some sections; only a full run writes RESULTS.md.
// `npm run bench -- --only import --import-rows 10000` is a quick look at the import.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from '../lib/use-cases/register.ts';
import { type AuthorizerResultSummary, benchAuthorizer } from './authorizer.ts';
import { benchColdStart } from './cold-start.ts';
import { coldStartRows, coldStartTable, derivedFromBundles, judge } from './cold-start-rows.ts';
import { benchImport, type ImportBenchSummary } from './import.ts';
import { benchKms } from './kms.ts';
import { startDynamo } from './lib/dynamo.ts';
import { describeMachine, loadAverage, type Machine } from './lib/machine.ts';
import { fmtInt } from './lib/stats.ts';
import { ms, type Row, ratio, status, table } from './lib/table.ts';
import { benchLogin, type LoginSummary } from './login.ts';
import { benchService } from './support/service.ts';
import { benchVerify, type VerifyResult } from './verify.ts';

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

/** The issue's targets, in one place. */
const TARGETS = {
  verifyRatioToFloor: 0.9,
  loginRatioToArgon2: 1.15,
  /** The import's rate over a bare loop of the same transactions: at or above it, DynamoDB is the limit, not our code. */
  importRatioToBare: 0.8,
  coldStart: {
    ratioToFloor: 1.15,
    ratioToFloorAny: 1.5,
    authorizer: { name: 'authorizer', maxBytes: 300_000, maxInitMs: 40 },
    maxBytes: 700_000,
    powertoolsMaxAddedMs: 10,
  },
};

/** How much each section measures; chosen so the whole run stays well under 5 minutes on 2 cores. */
const PLAN = {
  verify: { warmupMs: 500, windowMs: 500, rounds: 9 },
  authorizer: { firstSight: 300, repeatedWindowMs: 900, repeatedSpanMs: 3_000 },
  logins: 200,
  coldStartRuns: 11,
  importRows: 100_000,
  // DynamoDB Local runs transactions one at a time: more in flight only queue up against the SDK's 2 s timeout.
  importConcurrency: 4,
};

const SECTIONS = ['verify', 'authorizer', 'login', 'cold-start', 'kms', 'import'] as const;
type Section = (typeof SECTIONS)[number];

/** `--only <section>[,<section>]` (repeatable), `--runs <n>` (cold-start rounds), `--import-rows <n>` and `--import-concurrency <n>`. */
function readOptions(): { sections: Set<Section>; coldStartRuns: number; importRows: number; importConcurrency: number; partial: boolean } {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      runs: { type: 'string' },
      'import-rows': { type: 'string' },
      'import-concurrency': { type: 'string' },
    },
    allowPositionals: false,
  });
  const whole = (name: string, given: string | undefined, fallback: number, max: number) => {
    const value = given === undefined ? fallback : Number(given);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name}: a whole number from 1 to ${max}, not ${given}`);
    return value;
  };
  const only = (values.only ?? []).flatMap((value) => value.split(',')).map((value) => value.trim());
  const unknown = only.filter((value) => !(SECTIONS as readonly string[]).includes(value));
  if (unknown.length) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  const runs = values.runs === undefined ? PLAN.coldStartRuns : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: a whole number ≥ 1, not ${values.runs}`);
  return {
    sections: new Set(only.length ? (only as Section[]) : SECTIONS),
    coldStartRuns: runs,
    importRows: whole('import-rows', values['import-rows'], PLAN.importRows, 10_000_000),
    importConcurrency: whole('import-concurrency', values['import-concurrency'], PLAN.importConcurrency, 64),
    partial: only.length > 0 || values.runs !== undefined || values['import-rows'] !== undefined || values['import-concurrency'] !== undefined,
  };
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function verifyRows(verify: VerifyResult): Row[] {
  const by = (id: string) => verify.rows.find((row) => row.id === id)!;
  const floor = by('a').opsPerSec;
  const ours = by('b').opsPerSec;
  return verify.rows.map((row): Row => {
    const figure = `${fmtInt(row.opsPerSec)} ops/s · ${ratio(row.opsPerSec / floor)} (a)`;
    if (row.id === 'a') return ['1a', row.label.slice(4), figure, 'the floor', '—'];
    if (row.id === 'b') {
      return ['1b', row.label.slice(4), figure, `≥ ${ratio(TARGETS.verifyRatioToFloor)} (a)`, status(ours / floor >= TARGETS.verifyRatioToFloor)];
    }
    return [`1${row.id}`, row.label.slice(4), figure, '(b) ahead of it', `${status(ours > row.opsPerSec)} — (b) is ${ratio(ours / row.opsPerSec)} this`];
  });
}

function authorizerRows(a: AuthorizerResultSummary): Row[] {
  const { firstSight: f, repeated: r, revocation: v } = a;
  const repeatedOk = r.dbRequestsInWindow === 0 && r.dbRequestsInSpan <= Math.ceil(r.spanMs / 1000);
  return [
    [
      '2a',
      `full decision, token seen for the first time (n=${fmtInt(f.n)})`,
      `p50 ${ms(f.p50)} · p99 ${ms(f.p99)} · ${f.dbRequestsPerCall.toFixed(2)} DynamoDB requests per call`,
      'one BatchGetItem',
      status(f.dbRequestsPerCall === 1),
    ],
    [
      '2b',
      `full decision, the same token again (n=${fmtInt(r.n)})`,
      `p50 ${ms(r.p50)} · p99 ${ms(r.p99)} · DynamoDB requests: ${r.dbRequestsInWindow} in the first ${r.windowMs} ms, ${r.dbRequestsInSpan} in ${(r.spanMs / 1000).toFixed(1)} s`,
      'no round trip within 1 s (≤ 1 per second after)',
      status(repeatedOk),
    ],
    [
      '2c',
      'revocation (jti) seen by a warm instance holding the token in its cache',
      `refused ${v.visibleAfterMs.toFixed(0)} ms after the write`,
      `≤ 1 s staleness + one lookup (${v.boundMs.toFixed(0)} ms)`,
      status(v.visibleAfterMs <= v.boundMs),
    ],
  ];
}

/**
 * Login cannot start the password check before it has read the hash (email or username claim,
 * then the user item), and cannot hand out a refresh token before the session is stored. The
 * throttle's reservation (one conditional UpdateItem) overlaps the two reads, and its settlement
 * (one UpdateItem) and the signatures overlap the session write (a two-item transaction: the
 * family and its first refresh token, all or nothing), so two reads and that write stay on the
 * critical path: three requests in sequence besides argon2.
 */
const LOGIN_SEQUENTIAL_READS = 2;
/** Every request of a successful login: the two reads, the reservation, the session transaction, the settlement. */
const LOGIN_REQUESTS = 5;

function loginRows(l: LoginSummary): Row[] {
  const floor = l.argon2.p50 + LOGIN_SEQUENTIAL_READS * l.roundTrip.p50 + l.sessionWrite.p50;
  const params = `m=${l.params.memoryCost} KiB, t=${l.params.timeCost}, p=${l.params.parallelism}`;
  const r = l.login.p50 / l.argon2.p50;
  return [
    ['3a', `argon2id verify alone (${params}), n=${l.n}`, `p50 ${ms(l.argon2.p50)} · p99 ${ms(l.argon2.p99)}`, '—', '—'],
    [
      '3b',
      `login use case, n=${l.n}`,
      `p50 ${ms(l.login.p50)} · p99 ${ms(l.login.p99)} · ${ratio(r)} argon2 p50 · ${l.dbRequestsPerLogin.toFixed(2)} DynamoDB requests per login`,
      `p50 ≤ ${ratio(TARGETS.loginRatioToArgon2)} argon2 p50`,
      status(r <= TARGETS.loginRatioToArgon2),
    ],
    [
      '3c',
      `the floor of this design: argon2 + ${LOGIN_SEQUENTIAL_READS} sequential GetItems (p50 ${ms(l.roundTrip.p50)} each) + the session write (TransactWriteItems p50 ${ms(l.sessionWrite.p50)})`,
      `${ms(floor)} · ${ratio(floor / l.argon2.p50)} argon2 p50; login spends ${ms(l.login.p50 - floor)} beyond it`,
      '—',
      '—',
    ],
    [
      '3d',
      'DynamoDB requests per successful login (lib/use-cases/login.ts: claim and user reads ∥ reservation, argon2, session transaction ∥ settlement)',
      `${l.dbRequestsPerLogin.toFixed(2)} requests (${LOGIN_SEQUENTIAL_READS + 1} in sequence by design) · login p50 ${ratio(l.login.p50 / floor)} the floor (3c)`,
      `≤ ${LOGIN_REQUESTS} requests`,
      status(l.dbRequestsPerLogin <= LOGIN_REQUESTS),
    ],
  ];
}

function importRows(i: ImportBenchSummary): Row[] {
  const r = i.ours.rowsPerSecond / i.bare.rowsPerSecond;
  return [
    [
      '7a',
      `the same ${fmtInt(i.rows)} transactions (${i.itemsPerRow} items each) from a bare loop, ${i.concurrency} in flight: DynamoDB Local's rate`,
      `${fmtInt(i.bare.rowsPerSecond)} rows/s (${i.bare.seconds.toFixed(1)} s${i.bare.failed ? `; ${fmtInt(i.bare.failed)} given up on` : ''}) · ${i.bare.cpuMsPerRow.toFixed(2)} ms of Node CPU per row`,
      'the floor',
      '—',
    ],
    [
      '7b',
      `admin import of ${fmtInt(i.rows)} users from a JSONL file (lib/use-cases/user-import.ts), ${i.concurrency} in flight`,
      `${fmtInt(i.ours.rowsPerSecond)} rows/s (${i.ours.seconds.toFixed(1)} s${i.ours.failed ? `; ${fmtInt(i.ours.failed)} write failed` : ''}) · ${ratio(r)} (7a) · ${i.ours.dbRequestsPerRow.toFixed(2)} DynamoDB requests per row · ${i.ours.cpuMsPerRow.toFixed(2)} ms of Node CPU per row`,
      `≥ ${ratio(TARGETS.importRatioToBare)} (7a): DynamoDB is the limit`,
      status(r >= TARGETS.importRatioToBare),
    ],
  ];
}

function resultsMarkdown(machine: Machine, rows: Row[], extra: string, details: string[], durationS: number): string {
  return `# Benchmark results

Written by \`npm run bench\` (bench/run.ts); the method is in [README.md](README.md), the capacity and
cost model (item 5) in [docs/capacity.md](../docs/capacity.md). Figures from one run on the machine below:
they compare the verifiers and paths with each other on this machine, and are not Lambda's numbers.

## Machine

| | |
|---|---|
| CPU | ${machine.cpu} |
| Cores | ${machine.cores} |
| Memory | ${machine.memoryGiB} GiB |
| Node.js | ${machine.node} (V8 ${machine.v8}) |
| OS | ${machine.os} |
| Database | DynamoDB Local, in memory: ${machine.dynamoDbLocal} |
| Run | started ${machine.startedAt}, took ${durationS.toFixed(0)} s; load average (1/5/15 min) before: ${machine.loadBefore}, after: ${loadAverage()} |

## Results

${table(rows)}
${extra}
## Details

${details.map((line) => `- ${line}`).join('\n')}
`;
}

async function main(): Promise<void> {
  const options = readOptions();
  const started = Date.now();
  const machine = describeMachine();
  const rows: Row[] = [];
  const details: string[] = [];
  let extra = '';
  const runs = (section: Section) => options.sections.has(section);

  if (runs('verify')) {
    progress(`1. verify hot path (${PLAN.verify.rounds} rounds of ${PLAN.verify.windowMs} ms per verifier)`);
    const verify = await benchVerify(PLAN.verify);
    rows.push(...verifyRows(verify));
    details.push(
      `1: one ${verify.tokenBytes}-character RS256 access token; ops/s per round (median shown in the table): ` +
        verify.rows.map((row) => `(${row.id}) ${row.rounds.map((n) => fmtInt(n)).join(', ')}`).join('; '),
    );
  }

  if (runs('authorizer') || runs('login')) {
    progress('2-3. starting DynamoDB Local (in memory)');
    const dynamo = await startDynamo(`auth-bench-${Date.now()}`);
    try {
      const service = benchService(dynamo.endpoint, dynamo.tableName);
      const password = randomBytes(18).toString('base64url');
      const username = `bench-${randomBytes(4).toString('hex')}`;
      await register({ username, email: `${username}@example.com`, password }, service.deps);
      const credentials = { login: username, password };

      if (runs('authorizer')) {
        progress(
          `2. authorizer: ${PLAN.authorizer.firstSight} first-sight tokens, one token repeated for ${PLAN.authorizer.repeatedSpanMs} ms, one revocation`,
        );
        const authorizer = await benchAuthorizer(service, credentials, PLAN.authorizer);
        rows.push(...authorizerRows(authorizer));
        details.push(
          `2: ${dynamo.started ? 'DynamoDB Local started by the benchmark' : `DynamoDB at ${dynamo.endpoint}`}; every request the SDK sent was counted by a middleware on the service's own client.`,
        );
      }

      if (runs('login')) {
        progress(`3. login: ${PLAN.logins} logins interleaved with ${PLAN.logins} argon2id verifies`);
        const login = await benchLogin(service, credentials, PLAN.logins);
        rows.push(...loginRows(login));
      }
    } finally {
      await dynamo.stop();
    }
  }

  if (runs('cold-start')) {
    progress(`4. cold start: bundling every function and the floor, then ${options.coldStartRuns} fresh processes each`);
    const cold = await benchColdStart({ runs: options.coldStartRuns, progress: (message) => progress(`4. ${message}`) });
    const verdicts = judge(cold, TARGETS.coldStart);
    rows.push(...coldStartRows(cold, verdicts, TARGETS.coldStart));
    extra = `\n### 4. Cold start, per function\n\n${coldStartTable(cold, verdicts)}\n`;
    const floorCpu = cold.floor.samples.map((sample) => sample.cpuMs);
    details.push(
      `4: init = CPU time (user + system, all threads) of \`await import(<bundle>.mjs)\` in a fresh Node process, median of ${cold.runs} rounds, every bundle once per round in rotated order; × floor = that median over the floor's median; the per-round range is p25–p75 of (the function's sample / the floor's sample of the same round). Wall = median wall time of the same imports. The floor's CPU samples: ${floorCpu.map((v) => v.toFixed(1)).join(', ')} ms. NODE_OPTIONS="${cold.nodeOptions}" as in serverless.yml; kB = 1000 bytes of the minified .mjs (source map not counted).`,
      `4: from the bundles' esbuild metafile: ${derivedFromBundles(verdicts)}. "(lazy)": reached only through an import(), so not loaded at cold start.`,
    );
  }

  if (runs('kms')) {
    progress('6. the first KMS Decrypt of a signing function (5 fresh processes)');
    const kms = await benchKms(5);
    rows.push([
      '6',
      "a signing function's first KMS Decrypt (SDK import + client + call; once per instance)",
      `${ms(kms.firstMs)} (import ${ms(kms.importMs)}; a warm Decrypt ${ms(kms.warmMs)})`,
      'measured',
      '—',
    ]);
    details.push(
      `6: median of ${kms.rounds} fresh Node processes against the local KMS endpoint (loopback); in AWS add one in-region KMS round trip. Verify-only functions never pay it.`,
    );
  }

  if (runs('import')) {
    progress(`7. bulk import: ${options.importRows} users, and the same transactions from a bare loop`);
    const imported = await benchImport({
      rows: options.importRows,
      concurrency: options.importConcurrency,
      progress,
      dynamo: () => startDynamo(`auth-bench-import-${Date.now()}`),
    });
    rows.push(...importRows(imported));
    details.push(
      `7: each row is one TransactWriteItems of ${imported.itemsPerRow} items (profile, username, email, integer-id and external-id claims, the account_imported event), every row with an integer id; the import also reads the file twice (the first pass counts rows and moves the user-number counter), checks each row and builds each event. Each pass on a DynamoDB Local of its own (it slows down as its in-memory database grows), after a bare warm-up of 300 rows in another table.`,
    );
  }

  if (runs('verify') && runs('authorizer') && runs('login') && runs('cold-start')) {
    rows.push(['5', 'capacity and cost model', 'docs/capacity.md', '—', '—']);
  }

  const durationS = (Date.now() - started) / 1000;
  const load = `load average (1/5/15 min) before: ${machine.loadBefore}, after: ${loadAverage()}, on ${machine.cores} cores: other work on the machine shows in the figures`;
  process.stdout.write(`${table(rows)}\n${extra}\n${[...details, load].map((line) => `- ${line}`).join('\n')}\n\n`);
  const misses = rows.filter((row) => row[4].includes('MISS')).length;
  if (options.partial) {
    progress(`done in ${durationS.toFixed(0)} s: ${misses} line(s) with a MISS; a partial run (--only/--runs): bench/RESULTS.md not written`);
  } else {
    writeFileSync(RESULTS, resultsMarkdown(machine, rows, extra, details, durationS));
    progress(`done in ${durationS.toFixed(0)} s: ${misses} line(s) with a MISS; written to bench/RESULTS.md`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
