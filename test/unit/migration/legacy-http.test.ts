// The legacy system's calls (lib/migration/legacy-http.ts), against a scripted node:http server:
// a 4xx is a refusal and never retried; a 5xx, a dropped connection or an answer that is not JSON is
// retried once and then a 503 (DependencyUnavailableError); a hang spends the whole budget and is a
// 503 without a retry; 429 is an outage, not retried; and no log line ever holds the password.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DependencyUnavailableError } from '../../../lib/domain/errors.ts';
import { legacySession } from '../../../lib/migration/legacy-http.ts';
import { tcapLogin } from '../../../lib/migration/tcap-login.ts';
import { type FakeLegacy, fakeLegacy, type Reply } from './fake-legacy-server.ts';

const PASSWORD = 'Tr0ub4dor&3-legacy-secret';
const OK_BODY = { token: 'a.b.c', user: { id: 7, username: 'jane', email: 'jane@example.com' } };
const OK: Reply = { status: 200, body: OK_BODY };

let server: FakeLegacy | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What one POST through a fresh session gives: the answer, or the error it throws. */
async function post(reply: (index: number) => Reply, timeoutMs = 2000) {
  server = await fakeLegacy((_, index) => reply(index));
  const call = legacySession({ baseUrl: `${server.url}/`, dialect: 'tcap', timeoutMs });
  return call({ method: 'POST', path: '/token-auth/tcap/', json: { username: 'jane', password: PASSWORD } }).then(
    (answer) => ({ answer, error: undefined }),
    (error: unknown) => ({ answer: undefined, error }),
  );
}

describe('legacy calls', () => {
  it('send the JSON body to the base URL without doubling its slash', async () => {
    const { answer } = await post(() => OK);
    expect(answer).toEqual({ kind: 'answer', body: OK_BODY });
    expect(server!.seen).toHaveLength(1);
    expect(server!.seen[0]).toMatchObject({ method: 'POST', path: '/token-auth/tcap/', body: { username: 'jane', password: PASSWORD } });
    expect(server!.seen[0]!.headers['content-type']).toBe('application/json');
  });

  it.each([400, 401, 403, 404])('take a %i as a refusal, asked once', async (status) => {
    const { answer } = await post(() => ({ status, body: { detail: 'No active account found with the given credentials' } }));
    expect(answer).toEqual({ kind: 'refused', status });
    expect(server!.seen).toHaveLength(1);
  });

  it.each([
    ['a 500', { status: 500, body: { detail: 'boom' } } as Reply],
    ['a 502', { status: 502, body: 'bad gateway', raw: true } as Reply],
    ['a 200 that is not JSON', { status: 200, body: '<html>maintenance</html>', raw: true } as Reply],
    ['a 200 whose JSON is not an object', { status: 200, body: ['token'] } as Reply],
    ['a redirect', { status: 301, body: '', raw: true } as Reply],
    ['a dropped connection', 'drop' as Reply],
  ])('retry %s once, then answer 503', async (_, reply) => {
    const { error } = await post(() => reply);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(server!.seen).toHaveLength(2);
  });

  it('give the retry its chance: a 503 and then an answer is the answer', async () => {
    const { answer } = await post((index) => (index === 0 ? { status: 503, body: {} } : OK));
    expect(answer?.kind).toBe('answer');
    expect(server!.seen).toHaveLength(2);
  });

  it('answer 503 for a 429 at once: the legacy system asked us to slow down', async () => {
    const { error } = await post(() => ({ status: 429, body: { detail: 'Request was throttled.' } }));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(server!.seen).toHaveLength(1);
  });

  it('answer 503 when the legacy system does not answer within the budget, without a retry', async () => {
    const started = performance.now();
    const { error } = await post(() => 'hang', 300);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(server!.seen).toHaveLength(1);
    // The budget, not a hang detector's minute.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('share one budget between the calls of one login', async () => {
    server = await fakeLegacy((_, index) => (index === 0 ? OK : 'hang'));
    const call = legacySession({ baseUrl: server.url, dialect: 'simplejwt', timeoutMs: 300 });
    await call({ method: 'POST', path: '/a', json: {} });
    await expect(call({ method: 'GET', path: '/b' })).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(server.seen).toHaveLength(2);
  });

  it('answer 503 when nothing listens at MIGRATE_FROM_URL', async () => {
    const client = tcapLogin({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await expect(client.check('jane', PASSWORD)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('the legacy calls log', () => {
  const written: string[] = [];
  beforeEach(() => {
    written.length = 0;
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }) as typeof stream.write);
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it('the dialect, status and duration of every call, success or failure, and never the password or a token', async () => {
    await post(() => OK);
    await post((index) => (index === 0 ? { status: 500, body: { echo: PASSWORD } } : { status: 401, body: {} }));
    await post(() => ({ status: 200, body: `<p>${PASSWORD}</p>`, raw: true }));
    server = await fakeLegacy(() => ({ status: 200, body: { success: true, payload: { email: 'jane@example.com' } } }));
    const { opentactLogin } = await import('../../../lib/migration/opentact-login.ts');
    await opentactLogin({ baseUrl: server.url, timeoutMs: 2000 }).check('jane@example.com', PASSWORD);
    vi.restoreAllMocks();

    const lines = written.filter((line) => line.startsWith('{"level"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      expect(line).toMatchObject({ dialect: expect.any(String), path: expect.any(String) });
      expect(typeof line.durationMs).toBe('number');
    }
    expect(lines.some((line) => line.status === 500)).toBe(true);
    const everything = written.join('');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`jane@example.com:${PASSWORD}`).toString('base64'));
    expect(everything).not.toContain('a.b.c');
  });
});
