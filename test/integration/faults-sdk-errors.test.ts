// What the AWS SDK really raises when DynamoDB or SES fail, after its retries (provoked against
// refused, hanging and fake endpoints), that each of those becomes 503 + Retry-After, and that the
// fault injector (test/support/fault-injection.ts) raises the very same errors.
import net from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DependencyUnavailableError } from '../../lib/domain/errors.ts';
import { toAppError } from '../../lib/http/problem.ts';
import { sesMailer } from '../../lib/mail/mailer.ts';
import { createDb, type Db, DYNAMODB_MAX_ATTEMPTS } from '../../lib/store/client.ts';
import { cannedServer, closedPort, dynamoError, failureOf, sesError } from '../support/fake-endpoints.ts';
import { type Fault, injectFaults } from '../support/fault-injection.ts';

/** What the SDK raised, from under the DependencyUnavailableError the client turned it into. */
function original(error: unknown): unknown {
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  return (error as Error).cause;
}

describe('what the AWS SDK raises when DynamoDB or SES fail, after its retries', () => {
  const config = { region: 'us-east-1' };
  const getItem = (db: Db) => db.send(new GetCommand({ TableName: 'faults', Key: { pk: 'a', sk: 'b' } }));

  it('a refused connection: ECONNREFUSED after every attempt, answered 503', async () => {
    const db = createDb({ ...config, dynamodbEndpoint: `http://127.0.0.1:${await closedPort()}` });
    const failure = await failureOf(getItem(db));
    const error = original(failure) as { code?: string; $metadata?: { attempts?: number } };
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.$metadata?.attempts).toBe(DYNAMODB_MAX_ATTEMPTS);
    expect(toAppError(failure)).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 1 });
  });

  it('an endpoint that accepts and never answers: TimeoutError from the request timeout, not a hang', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const mailer = sesMailer({ region: 'us-east-1', sesEndpoint: endpoint, sesFrom: 'no-reply@example.com' });
      const [dynamo, ses] = (await Promise.all([
        failureOf(getItem(createDb({ ...config, dynamodbEndpoint: endpoint }))),
        failureOf(mailer.send({ to: 'someone@example.com', subject: 's', text: 't', html: '<p>t</p>' })),
      ])) as { name?: string; code?: string; $metadata?: { attempts?: number } }[];
      expect(original(dynamo)).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts: DYNAMODB_MAX_ATTEMPTS } });
      expect(toAppError(dynamo)?.code).toBe('service_unavailable');
      expect(original(ses)).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  const answers: [string, number, string, string][] = [
    ['ThrottlingException', 400, 'application/x-amz-json-1.0', dynamoError('com.amazon.coral.availability#ThrottlingException', 'Rate exceeded')],
    [
      'ProvisionedThroughputExceededException',
      400,
      'application/x-amz-json-1.0',
      dynamoError('com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'Throughput exceeded'),
    ],
    ['RequestLimitExceeded', 400, 'application/x-amz-json-1.0', dynamoError('com.amazonaws.dynamodb.v20120810#RequestLimitExceeded', 'Account limit')],
    ['InternalServerError', 500, 'application/x-amz-json-1.0', dynamoError('com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error')],
    [
      'ServiceUnavailableException',
      503,
      'application/x-amz-json-1.0',
      dynamoError('com.amazonaws.dynamodb.v20120810#ServiceUnavailableException', 'Unavailable'),
    ],
    // A proxy or load balancer's own error page: the SDK fails to parse it, but the status is kept.
    ['SyntaxError', 503, 'text/html', '<html>Service Unavailable</html>'],
  ];

  it('DynamoDB answering throttling or 5xx: retried, then the service error, answered 503', async () => {
    await Promise.all(
      answers.map(async ([name, status, contentType, body]) => {
        const server = await cannedServer(status, body, contentType);
        try {
          const failure = await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: server.url })));
          const error = original(failure) as { name?: string; $metadata?: { httpStatusCode?: number } };
          expect(error.name).toBe(name);
          expect(error.$metadata?.httpStatusCode).toBe(status);
          expect(server.requests()).toBe(DYNAMODB_MAX_ATTEMPTS);
          expect(toAppError(failure)).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 1 });
        } finally {
          await server.close();
        }
      }),
    );
  });

  it('a bug or a refused request is still not a 503', () => {
    expect(toAppError(new TypeError('x is undefined'))).toBeUndefined();
    expect(toAppError(Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBeUndefined();
    expect(toAppError(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }))).toBeUndefined();
  });

  it('SES refused, throttling, or rejecting a message: the errors the mail use cases catch', async () => {
    const mail = { to: 'someone@example.com', subject: 's', text: 't', html: '<p>t</p>' };
    const mailer = (endpoint: string) => sesMailer({ region: 'us-east-1', sesEndpoint: endpoint, sesFrom: 'no-reply@example.com' });
    const refused = original(await failureOf(mailer(`http://127.0.0.1:${await closedPort()}`).send(mail))) as { code?: string };
    expect(refused.code).toBe('ECONNREFUSED');

    const throttling = await cannedServer(400, sesError('Throttling', 'Maximum sending rate exceeded.'), 'text/xml');
    const rejecting = await cannedServer(400, sesError('MessageRejected', 'Email address is not verified.'), 'text/xml');
    try {
      const throttled = original(await failureOf(mailer(throttling.url).send(mail))) as { name?: string };
      expect(throttled.name).toBe('Throttling');
      expect(throttling.requests()).toBeGreaterThan(1); // retried
      const rejected = (await failureOf(mailer(rejecting.url).send(mail))) as { name?: string };
      expect(rejected.name).toBe('MessageRejected');
      expect(rejecting.requests()).toBe(1); // a configuration problem: not retried
    } finally {
      await Promise.all([throttling.close(), rejecting.close()]);
    }
  });

  it('the fault injector raises the very errors a real endpoint makes the SDK raise', async () => {
    const db = createDb({ ...config, dynamodbEndpoint: inject('dynamoEndpoint') });
    const faults = injectFaults(db);
    const shape = (error: unknown) => {
      const e = error as {
        name?: string;
        code?: string;
        $fault?: string;
        $metadata?: { httpStatusCode?: number; attempts?: number };
        constructor: { name: string };
      };
      return { class: e.constructor.name, name: e.name, code: e.code, fault: e.$fault, status: e.$metadata?.httpStatusCode, attempts: e.$metadata?.attempts };
    };
    const injected = async (fault: Fault) => {
      faults.clear();
      faults.inject({ fault, command: 'GetItem' });
      return shape(original(await failureOf(getItem(db))));
    };
    const server = await cannedServer(400, dynamoError('com.amazon.coral.availability#ThrottlingException', 'Rate exceeded'), 'application/x-amz-json-1.0');
    const internal = await cannedServer(
      500,
      dynamoError('com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error'),
      'application/x-amz-json-1.0',
    );
    try {
      expect(await injected('throttling')).toEqual(shape(original(await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: server.url }))))));
      expect(await injected('internal-error')).toEqual(shape(original(await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: internal.url }))))));
      expect(await injected('connection-refused')).toEqual(
        shape(original(await failureOf(getItem(createDb({ ...config, dynamodbEndpoint: `http://127.0.0.1:${await closedPort()}` }))))),
      );
    } finally {
      await Promise.all([server.close(), internal.close()]);
    }
    // Every attempt was failed by the injector, and nothing else was sent.
    expect(faults.failedAttempts).toBe(DYNAMODB_MAX_ATTEMPTS);
    expect(faults.calls).toEqual(['GetItem']);
  });
});
