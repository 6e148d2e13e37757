// error-response: the one rule for what a client sees: an AppError's code and message with its
// status, or a bare 500 for anything else, which is logged in full (redacted) with the request context.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, ConflictError, ERROR_CODES, MethodNotAllowedError } from '../../../../lib/domain/errors.ts';
import { errorResponse } from '../../../../lib/http/middlewares/error-response.ts';
import { STATUS_BY_CODE } from '../../../../lib/http/status.ts';
import { drfError } from '../../../../lib/routes/compat/envelopes.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { run } from './run.ts';

const throwing = (error: unknown) => async () => {
  throw error;
};

/** The log lines written to stderr while `act` runs. */
async function stderrOf(act: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return lines.join('');
}

afterEach(() => vi.restoreAllMocks());

describe('error-response', () => {
  it('shows an AppError as problem+json with its status, code, message and headers', async () => {
    const result = await run([errorResponse()], httpEvent({}), throwing(new MethodNotAllowedError('PUT', ['GET', 'OPTIONS'])));
    expect(result.statusCode).toBe(405);
    expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json; charset=utf-8', allow: 'GET, OPTIONS' });
    expect(JSON.parse(result.body!)).toEqual({
      type: 'urn:auth-service:problem:method_not_allowed',
      title: 'Method Not Allowed',
      status: 405,
      code: 'method_not_allowed',
      detail: 'Method PUT is not allowed here; use GET, OPTIONS.',
    });
  });

  it("uses the dialect's renderer", async () => {
    const result = await run([errorResponse(drfError)], httpEvent({}), throwing(new ConflictError([{ field: 'email', message: 'taken' }])));
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body!)).toEqual({ detail: 'Already taken.', code: 'conflict' });
  });

  it('hides anything else behind a bare 500 and logs it, redacted, with the request id and route', async () => {
    let result: { statusCode: number; body?: string } | undefined;
    const log = await stderrOf(async () => {
      result = await run(
        [errorResponse()],
        httpEvent({ path: '/login' }),
        throwing(Object.assign(new Error('db exploded at /var/task'), { password: 'hunter22' })),
      );
    });
    expect(result!.statusCode).toBe(500);
    expect(result!.body).not.toContain('exploded');
    const line = JSON.parse(log.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({
      level: 'error',
      message: 'unhandled error',
      route: 'ANY /login',
      requestId: 'req-42',
      error: { message: 'db exploded at /var/task' },
    });
    expect(log).not.toContain('hunter22');
  });

  it('falls back to a problem+json 500 when the renderer itself throws', async () => {
    const broken = () => {
      throw new TypeError('renderer bug');
    };
    const log = await stderrOf(async () => {
      const result = await run([errorResponse(broken)], httpEvent({}), throwing(new ConflictError([])));
      expect(result.statusCode).toBe(500);
      expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(result.body).not.toContain('renderer bug');
    });
    expect(log).toContain('renderer bug');
  });

  it('leaves an answer another middleware already gave (the first answer stands)', async () => {
    const page = { statusCode: 400, headers: { 'content-type': 'text/html' }, body: '<p>again</p>' };
    const answered = {
      onError: (request: { response: unknown }) => {
        request.response = page;
      },
    };
    // Listed after error-response, so its onError runs first.
    expect(await run([errorResponse(), answered], httpEvent({}), throwing(new ConflictError([])))).toBe(page);
  });

  it('(property) an AppError shows its own code and message; anything else shows nothing of itself', async () => {
    const appError = fc.record({ code: fc.constantFrom(...ERROR_CODES), message: fc.string() }).map(({ code, message }) => new AppError(code, message));
    const other = fc.oneof(
      fc.string().map((s) => new Error(`SECRET-${s}`)),
      fc.string().map((s) => `SECRET-${s}`),
      fc.constant(undefined),
      fc.constant(null),
      fc.record({ message: fc.string().map((s) => `SECRET-${s}`) }),
    );
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await fc.assert(
      fc.asyncProperty(fc.oneof(appError, other), async (thrown) => {
        const result = await run([errorResponse()], httpEvent({}), throwing(thrown));
        const body = JSON.parse(result.body!);
        if (thrown instanceof AppError) {
          expect(result.statusCode).toBe(STATUS_BY_CODE[thrown.code]);
          expect(body).toMatchObject({ code: thrown.code, detail: thrown.message, status: result.statusCode });
        } else {
          expect(result.statusCode).toBe(500);
          expect(body).toMatchObject({ code: 'internal_error', status: 500 });
          expect(result.body).not.toContain('SECRET-');
        }
      }),
      { numRuns: 1000 },
    );
    spy.mockRestore();
  });
});
