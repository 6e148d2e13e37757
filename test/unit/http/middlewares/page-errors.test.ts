// page-errors: a browser's form submission that fails with an AppError gets the page for it;
// API clients, GET, errors of earlier steps and errors the page has nothing to say about do not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidLinkError, TooManyRequestsError, ValidationError } from '../../../../lib/domain/errors.ts';
import { guard } from '../../../../lib/http/middlewares/guard.ts';
import { type ErrorPage, pageErrors } from '../../../../lib/http/middlewares/page-errors.ts';
import type { HttpResult } from '../../../../lib/http/types.ts';
import { httpEvent } from '../../../support/http-event.ts';
import { run } from './run.ts';

const html = { accept: 'text/html,application/xhtml+xml' };
const page = (status: number, text: string): HttpResult => ({ statusCode: status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text });
const linkPage: ErrorPage = (error) =>
  error instanceof InvalidLinkError ? page(400, 'spent') : error instanceof ValidationError ? page(400, 'form again') : undefined;
const throwing = (error: unknown) => async () => {
  throw error;
};

describe('page-errors', () => {
  it('answers a browser form submission that fails with the page for its error', async () => {
    expect((await run([pageErrors(linkPage)], httpEvent({ headers: html }), throwing(new InvalidLinkError()))).body).toBe('spent');
    expect((await run([pageErrors(linkPage)], httpEvent({ headers: html }), throwing(new ValidationError([])))).body).toBe('form again');
  });

  it('leaves the error for the API answer otherwise', async () => {
    // An API client, a GET, an error the page does not handle, something that is not an AppError.
    await expect(run([pageErrors(linkPage)], httpEvent({}), throwing(new InvalidLinkError()))).rejects.toBeInstanceOf(InvalidLinkError);
    await expect(run([pageErrors(linkPage)], httpEvent({ method: 'GET', headers: html }), throwing(new InvalidLinkError()))).rejects.toBeInstanceOf(
      InvalidLinkError,
    );
    await expect(run([pageErrors(linkPage)], httpEvent({ headers: html }), throwing(new ConflictError([])))).rejects.toBeInstanceOf(ConflictError);
    await expect(run([pageErrors(() => page(400, 'x'))], httpEvent({ headers: html }), throwing(new Error('bug')))).rejects.toThrow('bug');
  });

  it('leaves errors of the steps before it alone (a guard’s 429 stays the API answer)', async () => {
    const refuse = guard(() => async () => {
      throw new TooManyRequestsError('slow down', 3);
    });
    await expect(run([refuse, pageErrors(() => page(400, 'x'))], httpEvent({ headers: html }))).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('(property) a page exactly when: not GET, Accept names text/html, an AppError, and the page function has one', async () => {
    const accept = fc.constantFrom('text/html', 'TEXT/HTML;q=0.9', 'application/json', '*/*', '');
    const error = fc.constantFrom(new InvalidLinkError(), new ValidationError([]), new ConflictError([]), new Error('bug'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), accept, error, async (method, type, thrown) => {
        const outcome = await run([pageErrors(linkPage)], httpEvent({ method, headers: type ? { accept: type } : {} }), throwing(thrown)).catch(
          (e: unknown) => e,
        );
        const paged = method !== 'GET' && /text\/html/i.test(type) && (thrown instanceof InvalidLinkError || thrown instanceof ValidationError);
        if (paged) expect(outcome).toMatchObject({ statusCode: 400 });
        else expect(outcome).toBe(thrown);
      }),
      { numRuns: 300 },
    );
  });
});
