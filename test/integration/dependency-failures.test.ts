// Where an AWS failure becomes DependencyUnavailableError (lib/aws/dependency-failures.ts), against
// DynamoDB Local and a closed port: both DynamoDB clients (the SDK's, every function; the light one,
// the authorizer) and the stores on them give up after the configured attempts with
// DependencyUnavailableError, the original as its cause; answers that carry a verdict (a failed
// condition, a cancelled transaction) and refusals (a bad request) still reach the store unchanged.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createLightDynamoDb } from '../../lib/aws/light-dynamodb/document-reader.ts';
import { DependencyUnavailableError } from '../../lib/domain/errors.ts';
import { createDb, DYNAMODB_MAX_ATTEMPTS } from '../../lib/store/client.ts';
import { conditionalWrite } from '../../lib/store/conditional-write.ts';
import { documentClientReader } from '../../lib/store/document-client-reader.ts';
import { tokenStateReads } from '../../lib/store/token-reads.ts';
import { conditionalTransaction } from '../../lib/store/transact.ts';
import { userStore } from '../../lib/store/users.ts';

const REGION = 'us-east-1';
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** A port nothing listens on: bound by us for a moment, then released. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Asserts a refused connection, converted after every attempt; returns the original. */
function expectRefusedAfterRetries(error: unknown): void {
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  expect(error).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 1 });
  expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED', $metadata: { attempts: DYNAMODB_MAX_ATTEMPTS } });
}

describe('a DynamoDB endpoint that refuses connections', () => {
  it('the SDK client: DependencyUnavailableError after its attempts, the refused connection as cause', async () => {
    const db = createDb({ region: REGION, dynamodbEndpoint: await closedPort() });
    expectRefusedAfterRetries(await failureOf(db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }))));
    // A conditional write cannot answer "condition failed" when DynamoDB never decided.
    expectRefusedAfterRetries(
      await failureOf(
        conditionalWrite(db.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' }, ConditionExpression: 'attribute_not_exists(pk)' }))),
      ),
    );
    db.destroy();
  });

  it('the light client: the same error', async () => {
    const reader = createLightDynamoDb({ region: REGION, dynamodbEndpoint: await closedPort() });
    const error = await failureOf(reader.query({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'a' } }));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('both clients try exactly the configured number of times before converting (counted at an endpoint that drops each connection)', async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const db = createDb({ region: REGION, dynamodbEndpoint: endpoint });
      const sdk = await failureOf(db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } })));
      db.destroy();
      expect(sdk).toBeInstanceOf(DependencyUnavailableError);
      expect(connections).toBe(DYNAMODB_MAX_ATTEMPTS);
      connections = 0;
      const light = await failureOf(
        createLightDynamoDb({ region: REGION, dynamodbEndpoint: endpoint }).query({
          TableName: 't',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'a' },
        }),
      );
      expect(light).toBeInstanceOf(DependencyUnavailableError);
      expect((light as Error).cause).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
      expect(connections).toBe(DYNAMODB_MAX_ATTEMPTS);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a store on either client: DependencyUnavailableError, never a verdict', async () => {
    const endpoint = await closedPort();
    const db = createDb({ region: REGION, dynamodbEndpoint: endpoint });
    expectRefusedAfterRetries(await failureOf(userStore(db, 't').findByLogin('someone')));
    const query = { jti: 'j', userId: 'u', familyId: 'f' };
    expectRefusedAfterRetries(await failureOf(tokenStateReads(documentClientReader(db), 't').lookup(query, 0)));
    const light = await failureOf(tokenStateReads(createLightDynamoDb({ region: REGION, dynamodbEndpoint: endpoint }), 't').lookup(query, 0));
    expect(light).toBeInstanceOf(DependencyUnavailableError);
    db.destroy();
  });
});

describe('DynamoDB Local answering', () => {
  const tableName = () => inject('tableName');
  const key = () => ({ pk: `DEPFAIL#${randomUUID()}`, sk: 'X' });

  it('a failed condition reaches the store as a verdict, on both clients', async () => {
    const db = createDb({ region: REGION, dynamodbEndpoint: inject('dynamoEndpoint') });
    const light = createLightDynamoDb({ region: REGION, dynamodbEndpoint: inject('dynamoEndpoint') });
    const item = key();
    const put = () => db.send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    expect(await conditionalWrite(put())).toBe(true);
    expect(await conditionalWrite(put())).toBe(false);
    const update = (reader: typeof light) =>
      reader.update({
        TableName: tableName(),
        Key: item,
        UpdateExpression: 'SET n = :n',
        ConditionExpression: 'attribute_not_exists(n)',
        ExpressionAttributeValues: { ':n': 1 },
      });
    expect(await conditionalWrite(update(light))).toBe(true);
    expect(await conditionalWrite(update(light))).toBe(false);
    expect(await conditionalWrite(update(documentClientReader(db)))).toBe(false);
    db.destroy();
  });

  it('a cancelled transaction reaches the store with the items whose condition failed', async () => {
    const db = createDb({ region: REGION, dynamodbEndpoint: inject('dynamoEndpoint') });
    const [taken, free, alsoTaken] = [key(), key(), key()];
    await db.send(new PutCommand({ TableName: tableName(), Item: taken }));
    await db.send(new PutCommand({ TableName: tableName(), Item: alsoTaken }));
    const claim = (item: { pk: string; sk: string }) => ({ Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } });
    expect(await conditionalTransaction(db, [claim(taken), claim(free), claim(alsoTaken)])).toEqual([0, 2]);
    expect(await conditionalTransaction(db, [claim(free)])).toEqual([]);
    // The raw SDK error on its way up is untouched too: the conversion does not swallow verdicts.
    const raw = await failureOf(db.send(new TransactWriteCommand({ TransactItems: [claim(free)] })));
    expect(raw).toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    db.destroy();
  });

  it('a request DynamoDB refuses is not an outage: it stays what it was (a bug, answered 500)', async () => {
    const db = createDb({ region: REGION, dynamodbEndpoint: inject('dynamoEndpoint') });
    const light = createLightDynamoDb({ region: REGION, dynamodbEndpoint: inject('dynamoEndpoint') });
    const bad = { TableName: tableName(), Key: key(), UpdateExpression: 'SET = nonsense' };
    const sdk = await failureOf(db.send(new UpdateCommand(bad)));
    const viaLight = await failureOf(light.update(bad));
    for (const error of [sdk, viaLight]) {
      expect(error).not.toBeInstanceOf(DependencyUnavailableError);
      expect(error).toMatchObject({ name: 'ValidationException' });
    }
    db.destroy();
  });
});
