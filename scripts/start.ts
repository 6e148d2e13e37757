// What `npm start` runs: the whole service on this machine, with data kept under .data/ between runs.
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type RunningExample, startExample } from './example-spa/start-example.ts';
import { DATA_DIR, LOCAL_TABLE_NAME } from './local-data.ts';
import { type LocalStack, startLocalStack } from './local-stack.ts';
import { onParentExit } from './parent-watch.ts';
import { assertPortsFree, portFromEnv as port } from './ports.ts';

async function main(): Promise<void> {
  const tableName = process.env.TABLE_NAME || LOCAL_TABLE_NAME;

  let stack: LocalStack | undefined;
  let example: RunningExample | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    // A Ctrl-C reaches us from the terminal and again from npm, and the parent watch may fire too.
    (stopping ??= (async () => {
      if (!stack) {
        // Still starting: exiting runs the last-resort hook that SIGKILLs whatever has started.
        console.log('Interrupted during start-up; local stack stopped.');
        process.exit(0);
      }
      await Promise.all([example?.close(), stack.stop()]);
      console.log('Local stack stopped.');
      process.exit(0);
    })());
  // Ctrl-C reaches only this process group; the children run in their own, so we stop them here.
  // npm passes SIGTERM on to us (`exec` in the start script makes this process npm's child).
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // A wrapper may kill npm before it passes anything on; stop rather than run on as an orphan. (If
  // this process is killed outright, scripts/group-reaper.cjs stops the children.)
  onParentExit(() => void shutdown());

  // DynamoDB Local's files; elsewhere for a second stack beside the usual one (as the tests run it).
  const dataDir = process.env.DYNAMODB_DATA_DIR || join(DATA_DIR, 'dynamodb');
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const apiPort = port('PORT', 3000);
    const sesPort = port('SES_PORT', 8005);
    // The example single-page app (examples/spa/), beside the API's port and its Lambda port (PORT+2).
    const examplePort = port('EXAMPLE_PORT', apiPort + 3);
    // Checked before anything starts, like the stack's own ports.
    await assertPortsFree([{ port: examplePort, purpose: 'the example app', envVar: 'EXAMPLE_PORT' }]);
    stack = await startLocalStack({
      dataDir,
      dynamoPort: port('DYNAMODB_PORT', 8000),
      sesPort,
      kmsPort: port('KMS_PORT', sesPort + 1),
      eventsPort: port('EVENTS_VIEWER_PORT', sesPort + 2),
      // The local KMS key: beside DynamoDB's files, since the keys there are wrapped under it.
      kmsDataDir: process.env.KMS_DATA_DIR || join(DATA_DIR, 'kms'),
      apiPort,
      lambdaPort: apiPort + 2,
      tableName,
      // Anyone may register an OAuth client (RFC 7591) on this machine; deployed stages default to off.
      env: { OAUTH_DYNAMIC_REGISTRATION: process.env.OAUTH_DYNAMIC_REGISTRATION || 'open' },
      // Only the API's output (routes, request logs) is worth watching; the others' output is
      // quoted if they fail.
      log: (line, source) => {
        // ... and one line per security event (what the deployed stack sends to EventBridge).
        if (source === 'api' || source === 'events') console.log(line);
      },
    });
    // Its demo client is registered (or brought up to date) in the table the API serves.
    example = await startExample({ env: { ...process.env, ...stack.env }, port: examplePort });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    // Whatever did start is stopped (exit runs the last-resort hook for the children).
    await stack?.stop();
    process.exit(1);
  }
  const { apiUrl, mailUrl, eventsUrl, dynamoEndpoint, kmsEndpoint } = stack;
  const registration = stack.env.OAUTH_DYNAMIC_REGISTRATION;
  console.log(`
  Auth service running locally
    API            ${apiUrl}
    Mail viewer    ${mailUrl}
    Events viewer  ${eventsUrl}  (security events, as the deployed stack publishes them to EventBridge)
    DynamoDB       ${dynamoEndpoint}  (table ${tableName}, data in ${relative(process.cwd(), dataDir) || '.'})
    KMS (local)    ${kmsEndpoint}  (signing keys created and published)
    Example app    ${example.url}  (OAuth 2.1 + OpenID Connect sign-in; client ${example.clientId})
    OpenID Connect ${apiUrl}/.well-known/openid-configuration  (dynamic client registration: ${registration})

  Try:
    curl -s -X POST ${apiUrl}/register -H 'Content-Type: application/json' -d '{"username":"jane","email":"jane@example.com","password":"correct horse battery staple"}'
    then open ${example.url} and sign in as jane (docs/oauth.md explains the flows).

  Press Ctrl-C to stop.
`);

  const death = await stack.died;
  console.error(`Local stack failed: ${death}`);
  await Promise.all([example.close(), stack.stop()]);
  process.exit(1);
}

await main();
