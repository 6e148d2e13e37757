// The handlers that send mail when SES is unreachable (its endpoint a closed port): registration
// and forgot-password answer as usual, resend by address too, a logged-in resend answers 503; the
// failures are logged without links, tokens or passwords.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { startFaultyService, stopFaultyService } from '../support/faulty-service.ts';
import type { LogCapture } from '../support/log-capture.ts';
import { expectUnavailable, type Handlers, keepProcessEnv, newAccount, PASSWORD, registeredSession, send } from '../support/service-handlers.ts';

keepProcessEnv();

describe('the handlers when DynamoDB fails (injected faults) and SES is unreachable', () => {
  let handlers: Handlers;
  let deps: Dependencies;
  let logs: LogCapture;

  beforeEach(async () => {
    ({ handlers, deps, logs } = await startFaultyService());
  });
  afterEach(() => stopFaultyService({ deps, logs }));

  describe('SES unreachable', () => {
    /** No log line may carry a link, a token or the password. */
    function expectNoSecrets(lines: Record<string, unknown>[]) {
      const text = JSON.stringify(lines);
      expect(text).not.toMatch(/token=|\/password\/reset\?|\/email\/verify\?/);
      expect(text).not.toContain(PASSWORD);
    }

    it('registration still answers 201; the failed verification mail is logged without the link', async () => {
      const answer = await send(handlers.register, '/register', { body: newAccount() });
      expect(answer.status).toBe(201);
      const line = logs.lines.find((l) => l.message === 'verification mail could not be sent');
      expect(line).toMatchObject({
        level: 'error',
        error: { name: 'DependencyUnavailableError', cause: { message: expect.stringContaining('ECONNREFUSED') } },
      });
      expectNoSecrets(logs.lines);
    });

    it('forgot-password still answers 202, as for an unknown address; the failure is logged without the token', async () => {
      const session = await registeredSession(handlers);
      const known = await send(handlers.forgot, '/password/forgot', { body: { email: session.account.email } });
      const unknown = await send(handlers.forgot, '/password/forgot', { body: { email: `nobody_${randomUUID()}@example.com` } });
      expect(known.status).toBe(202);
      expect(unknown).toEqual(known);
      expect(logs.lines.find((l) => l.message === 'password reset mail could not be sent')).toMatchObject({ level: 'error', userId: session.userId });
      expectNoSecrets(logs.lines);
    });

    it('verification resend by address still answers 202; for a logged-in user it answers 503 with Retry-After', async () => {
      const session = await registeredSession(handlers);
      expect((await send(handlers.resend, '/email/verify/resend', { body: { email: session.account.email } })).status).toBe(202);
      const other = await registeredSession(handlers);
      expectUnavailable(await send(handlers.resend, '/email/verify/resend', { token: other.accessToken }));
      expectNoSecrets(logs.lines);
    });
  });
});
