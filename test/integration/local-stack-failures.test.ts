// The local stack answers a failed function as API Gateway's HTTP API does: 500 when it throws or
// fails to initialise, 504 when it times out, each as problem+json that shows nothing of the
// function's error; never 200 with a stack trace. A function that works answers untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureService, startFixtureService } from '../support/fixture-service.ts';
import { portsBeside } from '../support/ports-beside.ts';

let service: FixtureService;

beforeAll(async () => {
  service = await startFixtureService('failing-lambdas', portsBeside(10));
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function get(path: string): Promise<Answer> {
  // Generous: a cold worker on a loaded CI machine takes a while to load even a tiny handler.
  const response = await fetch(`${service.url}${path}`, { signal: AbortSignal.timeout(60_000) });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** A problem+json answer with the status and title API Gateway would use, and nothing from the function. */
function expectGatewayProblem(answer: Answer, status: number, title: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(answer.text)).toEqual({
    type: expect.stringMatching(/^urn:auth-service:problem:[a-z_]+$/),
    title,
    status,
    code: expect.any(String),
    detail: expect.any(String),
  });
  // The fixtures' error messages carry "secret-in-..."; serverless-offline would also show
  // errorMessage, errorType and a stackTrace with file positions.
  expect(answer.text).not.toMatch(/secret-in|errorMessage|errorType|stackTrace|\.m?js:\d+/);
}

describe('a function that fails under the local stack', () => {
  it('is answered 500 Internal Server Error when it throws', async () => {
    expectGatewayProblem(await get('/throws'), 500, 'Internal Server Error');
  }, 90_000);

  it('is answered 504 Gateway Timeout when it does not answer within its timeout', async () => {
    expectGatewayProblem(await get('/times-out'), 504, 'Gateway Timeout');
  }, 90_000);

  it('is answered 500 Internal Server Error, on every call, when its module throws while loading', async () => {
    expectGatewayProblem(await get('/fails-to-initialise'), 500, 'Internal Server Error');
    expectGatewayProblem(await get('/fails-to-initialise'), 500, 'Internal Server Error');
  }, 90_000);
});

describe('a function that works under the local stack', () => {
  it('answers with its own status, headers and body', async () => {
    const answer = await get('/answers');
    expect(answer.status, answer.text).toBe(201);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({ answered: true });
  }, 90_000);
});
