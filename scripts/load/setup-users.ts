// The set-up phase: one fresh user per connection, registered, logged in, and given two API tokens
// (so the mix always has one to use and one to spare for deletion). Any failure here stops the run:
// figures over a half-prepared mix would mean nothing.
import { randomBytes } from 'node:crypto';
import { call, describeReply, inBatches, type Reply } from './http.ts';
import type { LoadUser } from './ledger.ts';
import { type ConnectionState, connectionState } from './mix.ts';

/** How many users are prepared at once: enough to be quick, few enough not to time out on 2 cores. */
const SETUP_CONCURRENCY = 8;
const SETUP_ATTEMPTS = 4;

/** Set-up is not measured: a 503 (DynamoDB Local too slow on a busy machine) is retried a few times. */
async function retried(send: () => Promise<Reply>): Promise<Reply> {
  let reply = await send();
  for (let attempt = 1; reply.status === 503 && attempt < SETUP_ATTEMPTS; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    reply = await send();
  }
  return reply;
}

async function prepareUser(apiUrl: string, runId: string, index: number): Promise<ConnectionState> {
  const name = `load_${runId}_${index}`;
  const credentials = { username: name, email: `${name}@example.com`, password: `Load-${randomBytes(12).toString('base64url')}` };
  const fail = (step: string, reply: Reply) => new Error(`set-up of ${name}: ${step} answered ${describeReply(reply)}`);

  let registerAttempts = 0;
  const registered = await retried(() => {
    registerAttempts += 1;
    return call(apiUrl, 'POST', '/register', { json: credentials });
  });
  // A 409 after a retry means the attempt that answered 503 had registered the user after all.
  if (registered.status !== 201 && !(registered.status === 409 && registerAttempts > 1)) throw fail('POST /register', registered);
  const login = await retried(() => call(apiUrl, 'POST', '/login', { json: { username: credentials.username, password: credentials.password } }));
  if (login.status !== 200 || !login.body?.refresh_token || typeof login.body?.user?.id !== 'string') throw fail('POST /login', login);

  const user: LoadUser = { ...credentials, userId: login.body.user.id, chains: [{ tokens: [login.body.refresh_token] }], apiTokens: [] };
  const live: { id: string; token: string }[] = [];
  for (const label of ['setup 1', 'setup 2']) {
    // A create retried after a 503 may leave an extra token the ledger does not know: harmless,
    // the check looks only at tokens a client was told about.
    const created = await retried(() => call(apiUrl, 'POST', '/tokens', { json: { name: label, ttl: 3600 }, bearer: login.body.access_token }));
    if (created.status !== 201 || !created.body?.token) throw fail('POST /tokens', created);
    user.apiTokens.push({ id: created.body.id, deleted: false });
    live.push({ id: created.body.id, token: created.body.token });
  }
  return connectionState(user, login.body.access_token, live);
}

/** Prepares `count` users; their names carry `runId` so runs against one table never collide. */
export function prepareUsers(apiUrl: string, count: number, runId: string): Promise<ConnectionState[]> {
  return inBatches(
    Array.from({ length: count }, (_, i) => i),
    SETUP_CONCURRENCY,
    (index) => prepareUser(apiUrl, runId, index),
  );
}
