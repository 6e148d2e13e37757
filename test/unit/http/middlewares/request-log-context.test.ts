// request-log-context: log lines written while a request runs carry its request id and route;
// none do once it has ended, answered or failed.

import middy from '@middy/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { requestLogContext } from '../../../../lib/http/middlewares/request-log-context.ts';
import type { HttpEvent, HttpResult } from '../../../../lib/http/types.ts';
import { log } from '../../../../lib/support/log.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { context, run } from './run.ts';

/** The JSON log lines written to stdout while `act` runs. */
async function linesOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('request-log-context', () => {
  it('adds the request id and route to lines written by the handler (a use case), then clears them', async () => {
    const lines = await linesOf(async () => {
      await run([requestLogContext()], httpEvent({ path: '/login' }), async () => {
        log.info('inside', { userId: 'u1' });
        return { statusCode: 200, headers: {}, body: '' };
      });
      log.info('after');
    });
    expect(lines[0]).toMatchObject({ message: 'inside', requestId: 'req-42', route: 'ANY /login', userId: 'u1' });
    expect(lines[1]).toMatchObject({ message: 'after' });
    expect(lines[1]).not.toHaveProperty('requestId');
    expect(lines[1]).not.toHaveProperty('route');
  });

  it('clears them after a failure too', async () => {
    const lines = await linesOf(async () => {
      await run([requestLogContext()], httpEvent({}), async () => {
        throw new Error('boom');
      }).catch(() => undefined);
      log.info('after');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toHaveProperty('requestId');
  });

  it('(property) a line carries exactly the context of the request it was written in', async () => {
    const handler = middy<HttpEvent, HttpResult>()
      .use(requestLogContext())
      .handler(async (event) => {
        log.info('in', { n: event.rawPath });
        return { statusCode: 200, headers: {}, body: '' };
      });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.stringMatching(/^\/[a-z]{1,8}$/), fc.uuid()), { minLength: 1, maxLength: 5 }), async (requests) => {
        const lines = await linesOf(async () => {
          for (const [path, id] of requests) await handler(httpEvent({ path }), { ...context, awsRequestId: id });
        });
        expect(lines.map((l) => [l.n, l.route, l.requestId])).toEqual(requests.map(([path, id]) => [path, `ANY ${path}`, id]));
      }),
      { numRuns: 200 },
    );
  });
});
