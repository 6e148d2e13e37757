// `npm run load`: a mix of login, refresh, /me and API-token calls at 50 concurrent connections for
// 30 seconds (one user per connection), then the figures (throughput, latency percentiles overall
// and per kind, answers by class) and the lost-write check against the table. Exits non-zero on any
// 5xx, connection error or timeout, lost write, or a user who cannot refresh or log in afterwards.
// Options: scripts/load/options.ts (`npm run load -- --help`); results and method: docs/load.md.
import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { userKey } from '../lib/store/keys.ts';
import { measureBaseline } from './load/baseline.ts';
import { checkOverHttp } from './load/check-http.ts';
import { checkTable } from './load/check-table.ts';
import { type DriveResult, drive } from './load/drive.ts';
import { classes, figuresByKind, timeline } from './load/figures.ts';
import { cpuMeter, describeMachine, loadAverage } from './load/machine.ts';
import { type LoadOptions, loadOptions, USAGE } from './load/options.ts';
import { baselineLine, classTable, cpuTable, handlerTable, kindTable, machineTable, timelineTable } from './load/report.ts';
import { prepareUsers } from './load/setup-users.ts';
import { openTarget, type Target } from './load/target.ts';

const progress = (line: string) => console.error(`[load] ${line}`);
const out = (text = '') => console.log(text);

/** The table must be the API's: a wrong DYNAMODB_ENDPOINT/TABLE_NAME would look like lost writes. */
async function assertSameTable(target: Target, userId: string): Promise<void> {
  const { Item } = await target.db.send(new GetCommand({ TableName: target.tableName, Key: userKey(userId), ConsistentRead: true }));
  if (!Item) {
    throw new Error(
      `the table ${target.tableName} at ${target.dynamodbEndpoint} does not hold the user just registered: ` +
        'set DYNAMODB_ENDPOINT and TABLE_NAME to the table the API at LOAD_URL uses',
    );
  }
}

async function run(options: LoadOptions, target: Target, signal: AbortSignal): Promise<number> {
  const machine = describeMachine();
  const loadBefore = loadAverage();
  for (const note of target.notes) progress(note);

  progress(`set-up: registering ${options.users} users, logging each in, two API tokens each ...`);
  const states = await prepareUsers(target.apiUrl, options.users, randomBytes(4).toString('hex'));
  await assertSameTable(target, states[0]!.user.userId);

  // An optional warm-up with the same mix: serverless-offline starts a worker thread (a cold start)
  // for every concurrent invocation of a function, so the first seconds measure cold starts.
  let warmup: DriveResult | undefined;
  if (options.warmupSeconds > 0) {
    progress(`warm-up: ${options.connections} connections for ${options.warmupSeconds} s (checked, not in the figures) ...`);
    warmup = await drive(states, { apiUrl: target.apiUrl, durationSeconds: options.warmupSeconds, timeoutSeconds: options.timeoutSeconds, signal });
    if (signal.aborted) return 130;
  }

  progress(`load: ${options.connections} connections for ${options.durationSeconds} s, then the answers in flight come in ...`);
  const meter = cpuMeter(target.watched);
  target.handlerTimes?.reset();
  const result = await drive(states, { apiUrl: target.apiUrl, durationSeconds: options.durationSeconds, timeoutSeconds: options.timeoutSeconds, signal });
  const cpu = meter();
  if (signal.aborted) return 130;

  const counts = classes(result.answers, result.errors);
  out(`## Load: ${options.connections} connections, ${options.durationSeconds} s\n`);
  for (const note of target.notes) out(`- ${note}`);
  const warmupCounts = warmup ? classes(warmup.answers, warmup.errors) : undefined;
  if (warmup && warmupCounts) {
    out(
      `- warm-up before the figures: ${options.warmupSeconds} s, ${warmup.answers.length} answers (${(warmup.answers.length / warmup.elapsedSeconds).toFixed(1)}/s), ` +
        `${warmupCounts['4xx']} 4xx, ${warmupCounts['5xx']} 5xx, ${warmup.errors} errors; its writes are checked with the rest`,
    );
  }
  out(
    `\n${result.answers.length.toLocaleString('en-US')} answers in ${result.elapsedSeconds.toFixed(1)} s: ` +
      `**${(result.answers.length / result.elapsedSeconds).toFixed(1)} requests/s**\n`,
  );
  out(kindTable(figuresByKind(result.answers), result.elapsedSeconds));
  out();
  out(classTable(counts, result.timeouts));
  if (counts['4xx'] || counts.other) out('\nEvery request of the mix is valid, so no 4xx is expected: see "unexpected status" above.');
  out(`\nOver time (the first seconds include serverless-offline's cold starts of worker threads):\n`);
  out(timelineTable(timeline(result.answers, options.durationSeconds >= 20 ? 5 : 1)));
  const handlers = target.handlerTimes?.summary() ?? [];
  if (handlers.length) {
    out(`\nTime inside the Lambda handlers (serverless-offline's own "Duration"; our code, its DynamoDB calls and argon2), against the latency above:\n`);
    out(handlerTable(handlers));
  }
  if (cpu.length) out(`\n${cpuTable(cpu, result.elapsedSeconds, machine.cores)}`);

  progress('checking the table for lost writes ...');
  const users = states.map((state) => state.user);
  const tableCheck = await checkTable(target.db, target.tableName, users);
  const clientProblems = states.flatMap((state) => state.problems);
  progress('checking over HTTP: one more refresh with each last refresh token, and a login per user ...');
  const httpCheck = await checkOverHttp(target.apiUrl, users);
  const { checked } = tableCheck;
  out('\n## Lost-write check\n');
  out(
    `- table: ${checked.users} users, ${checked.sessions} login sessions with ${checked.refreshTokens} refresh tokens ` +
      `(each chain intact, exactly one live token per family and it is the client's last), ` +
      `${checked.liveApiTokens} API tokens that must exist, ${checked.deletedApiTokens} deleted ones that must be gone` +
      (tableCheck.uncertain ? `; ${tableCheck.uncertain} left out because their answer never came` : ''),
  );
  out(
    `- over HTTP: ${httpCheck.refreshed} of ${users.length} last refresh tokens still refresh, ${httpCheck.loggedIn} of ${users.length} users still log in` +
      (httpCheck.skipped ? ` (${httpCheck.skipped} without a known session)` : ''),
  );
  const problems = [...tableCheck.problems, ...clientProblems, ...httpCheck.problems];
  out(problems.length ? `- **${problems.length} problem(s):**\n${problems.map((p) => `  - ${p}`).join('\n')}` : '- no lost writes');

  if (options.baselineSeconds > 0) {
    progress(`baseline: OPTIONS /me for ${options.baselineSeconds} s ...`);
    const baseline = await measureBaseline(target.apiUrl, options.connections, options.baselineSeconds);
    out(`\n## serverless-offline baseline\n\n${baselineLine(baseline, options.connections, options.baselineSeconds)}`);
  }
  out(`\n## Machine\n\n${machineTable(machine, loadBefore, loadAverage())}`);

  const fiveHundreds = counts['5xx'] + (warmupCounts?.['5xx'] ?? 0);
  const errors = result.errors + (warmup?.errors ?? 0);
  const failures = [
    fiveHundreds ? `${fiveHundreds} answers 5xx` : '',
    errors ? `${errors} connection errors or timeouts` : '',
    problems.length ? `${problems.length} lost writes or failed checks` : '',
  ].filter(Boolean);
  out(failures.length ? `\nFAILED: ${failures.join('; ')}` : '\nPASSED: no 5xx, no connection errors, no lost writes');
  return failures.length ? 1 : 0;
}

async function main(): Promise<void> {
  let options: LoadOptions | 'help';
  try {
    options = loadOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  const controller = new AbortController();
  let target: Target | undefined;
  let stopping: Promise<never> | undefined;
  const finish = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      controller.abort();
      // Still starting: exiting runs local-stack's last-resort hook, which kills what has started.
      await target?.stop();
      process.exit(code);
    })());
  // Ctrl-C reaches only this process group; the stack's children run in their own.
  process.on('SIGINT', () => {
    progress('interrupted: stopping what this run started ...');
    void finish(130);
  });
  process.on('SIGTERM', () => void finish(143));

  try {
    target = await openTarget(options, progress);
    await finish(await run(options, target, controller.signal));
  } catch (error) {
    console.error(`load test failed: ${error instanceof Error ? error.message : error}`);
    await finish(1);
  }
}

await main();
