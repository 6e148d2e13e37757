// The light client's HTTP side against local HTTP servers that play DynamoDB, well and badly:
// requests signed so that the SDK's signer agrees, answers and errors shaped like the SDK's,
// retries of exactly the retryable failures (5xx, throttling, timeouts, broken connections, bad
// checksums, a wrong clock) with the backoff waits recorded instead of slept, and kept-alive
// connections. Also: the regional endpoint the SDK would resolve, and where credentials come from.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { crc32 } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { createLightDynamoDb } from '../../../lib/aws/light-dynamodb/document-reader.ts';
import { DynamoDbError, type DynamoDbHttpOptions, dynamoDbEndpoint, dynamoDbHttp, environmentCredentials } from '../../../lib/aws/light-dynamodb/http.ts';
import type { AwsCredentials } from '../../../lib/aws/light-dynamodb/sigv4.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}
type Answer = (res: ServerResponse, seen: Seen) => void;

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server answering request n with answers[n] (the last one repeats). */
async function fakeDynamo(...answers: Answer[]) {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body, socket: req.socket };
      seen.push(entry);
      answers[Math.min(seen.length, answers.length) - 1]!(res, entry);
    });
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle = {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (res) => {
    const text = JSON.stringify(body);
    res
      .writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${status}`, 'x-amz-crc32': String(crc32(text)), ...headers })
      .end(text);
  };
const awsError = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }, headers);

const CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function client(endpoint: string, overrides: Partial<DynamoDbHttpOptions> = {}) {
  const waits: number[] = [];
  const http = dynamoDbHttp({
    region: 'eu-west-1',
    endpoint,
    credentials: () => CREDENTIALS,
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    ...overrides,
  });
  return { http, waits };
}

async function failure(promise: Promise<unknown>): Promise<DynamoDbError & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as DynamoDbError;
  }
  throw new Error('expected a failure');
}

class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

describe('dynamoDbHttp: a request', () => {
  it('is a SigV4-signed JSON-protocol POST that the SDK signer agrees with', async () => {
    const dynamo = await fakeDynamo(json(200, { Items: [], Count: 0 }));
    const credentials = { ...CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEXAMPLE' };
    const { http } = client(dynamo.endpoint, { credentials: () => credentials });
    const input = { TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'USER#é' } } };
    expect(await http.call('Query', input)).toEqual({ Items: [], Count: 0 });

    const [request] = dynamo.seen;
    expect(request).toMatchObject({ method: 'POST', url: '/' });
    expect(JSON.parse(request!.body)).toEqual(input);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.Query',
      'x-amz-security-token': credentials.sessionToken,
      'content-length': String(Buffer.byteLength(request!.body)),
    });
    // Verified as AWS would: the same signature from the SDK's signer over what arrived.
    const signedNames = /SignedHeaders=([^,]+)/.exec(String(request!.headers.authorization))![1]!.split(';');
    expect(signedNames).toEqual(['content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']);
    const headers = Object.fromEntries(signedNames.filter((n) => n !== 'x-amz-date').map((n) => [n, String(request!.headers[n])]));
    const stamp = String(request!.headers['x-amz-date']);
    const date = new Date(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const signer = new SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: NodeSha256, applyChecksum: false });
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: '/', query: {}, headers, body: request!.body },
      { signingDate: date },
    );
    expect(request!.headers.authorization).toBe(signed.headers.authorization);
  });

  it('reuses one kept-alive connection for later requests', async () => {
    const dynamo = await fakeDynamo(json(200, {}));
    const { http } = client(dynamo.endpoint);
    for (let i = 0; i < 3; i += 1) await http.call('GetItem', { TableName: 't', Key: { pk: { S: String(i) } } });
    expect(dynamo.seen).toHaveLength(3);
    expect(dynamo.connections()).toBe(1);
  });
});

describe('dynamoDbHttp: errors', () => {
  it('are shaped like the SDK exceptions and not retried when the request is at fault', async () => {
    const dynamo = await fakeDynamo(awsError(400, 'ConditionalCheckFailedException', 'The conditional request failed'));
    const { http, waits } = client(dynamo.endpoint);
    const error = await failure(http.call('UpdateItem', {}));
    expect(error).toBeInstanceOf(DynamoDbError);
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed', $fault: 'client' });
    expect(error.$metadata).toEqual({ httpStatusCode: 400, requestId: 'req-400', attempts: 1 });
    expect(dynamo.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('take the code from x-amzn-errortype, "code" or "__type", and DynamoDB Local\'s "Message"', async () => {
    const dynamo = await fakeDynamo(
      json(400, { message: 'm' }, { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/' }),
      json(400, { code: 'ResourceNotFoundException', message: 'gone' }),
      json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', Message: 'Cannot do operations on a non-existent table' }),
      (res) => res.writeHead(403).end('<html>not json</html>'),
    );
    const { http } = client(dynamo.endpoint);
    expect(await failure(http.call('Query', {}))).toMatchObject({ name: 'ValidationException', message: 'm' });
    expect(await failure(http.call('Query', {}))).toMatchObject({ name: 'ResourceNotFoundException', message: 'gone' });
    expect(await failure(http.call('Query', {}))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Cannot do operations on a non-existent table' });
    expect(await failure(http.call('Query', {}))).toMatchObject({ name: 'Unknown', message: 'DynamoDB answered HTTP 403', $metadata: { httpStatusCode: 403 } });
  });

  it('are retried after a 5xx, with the transient backoff, until one succeeds', async () => {
    const dynamo = await fakeDynamo(awsError(500, 'InternalServerError', 'oops'), (res) => res.writeHead(503).end(), json(200, { ok: 1 }));
    const { http, waits } = client(dynamo.endpoint);
    expect(await http.call('Query', {})).toEqual({ ok: 1 });
    expect(dynamo.seen).toHaveLength(3);
    expect(waits).toEqual([12, 25]); // 0.5 × 25 ms × 2^retry
  });

  it('give up after three attempts of throttling, with the throttling backoff', async () => {
    const dynamo = await fakeDynamo(awsError(400, 'ProvisionedThroughputExceededException', 'slow down'));
    const { http, waits } = client(dynamo.endpoint);
    const error = await failure(http.call('BatchGetItem', {}));
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { attempts: 3 } });
    expect(dynamo.seen).toHaveLength(3);
    expect(waits).toEqual([500, 1000]); // 0.5 × 1 s × 2^retry
  });

  it('stop being retried when the retry quota is spent', async () => {
    const dynamo = await fakeDynamo(awsError(500, 'InternalServerError', 'down'));
    const { http } = client(dynamo.endpoint);
    // 500 / 14 per transient retry: 35 retries are paid for, then every call fails at once.
    for (let call = 0; call < 17; call += 1) await failure(http.call('Query', {}));
    expect(dynamo.seen).toHaveLength(17 * 3);
    await failure(http.call('Query', {}));
    expect(dynamo.seen).toHaveLength(17 * 3 + 2);
    await failure(http.call('Query', {}));
    expect(dynamo.seen).toHaveLength(17 * 3 + 3);
  });

  it('retry a response whose x-amz-crc32 does not match its body', async () => {
    const dynamo = await fakeDynamo((res) => res.writeHead(200, { 'x-amz-crc32': String(crc32('{"Count":1}')) }).end('{"Count":2}'), json(200, { Count: 1 }));
    const { http } = client(dynamo.endpoint);
    expect(await http.call('Query', {})).toEqual({ Count: 1 });
    expect(dynamo.seen).toHaveLength(2);
  });

  it('fail a 200 whose body is not JSON, without a retry', async () => {
    const dynamo = await fakeDynamo((res) => res.writeHead(200).end('{"trunc'));
    const { http } = client(dynamo.endpoint);
    expect(await failure(http.call('Query', {}))).toMatchObject({ name: 'DeserializationError' });
    expect(dynamo.seen).toHaveLength(1);
  });

  it('retry an attempt that gets no answer in time, as a TimeoutError', async () => {
    const dynamo = await fakeDynamo(() => {}, json(200, { late: false }));
    const { http, waits } = client(dynamo.endpoint, { attemptTimeoutMs: 150 });
    expect(await http.call('Query', {})).toEqual({ late: false });
    expect(dynamo.seen).toHaveLength(2);
    expect(waits).toHaveLength(1);
    const stuck = await fakeDynamo(() => {});
    const error = await failure(client(stuck.endpoint, { attemptTimeoutMs: 50 }).http.call('Query', {}));
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(stuck.seen).toHaveLength(3);
  });

  it('retry a connection cut mid-answer, and a refused one', async () => {
    const dynamo = await fakeDynamo(
      (res, seen) => {
        res.writeHead(200, { 'content-length': '100' }).write('{"Items":');
        seen.socket.destroy();
      },
      json(200, { Items: [] }),
    );
    const { http } = client(dynamo.endpoint);
    expect(await http.call('Query', {})).toEqual({ Items: [] });
    expect(dynamo.seen).toHaveLength(2);

    const closed = await fakeDynamo(json(200, {}));
    await closed.close();
    const refused = client(closed.endpoint);
    const error = await failure(refused.http.call('Query', {}));
    expect(error.code).toBe('ECONNREFUSED');
    expect(refused.waits).toHaveLength(2);
  });

  it("adopt DynamoDB's clock when a signature is refused for a skewed clock, and retry", async () => {
    const serverNow = Date.parse('2026-11-23T12:00:00Z');
    const dynamo = await fakeDynamo(
      awsError(400, 'InvalidSignatureException', 'Signature expired: 20261123T110000Z is now earlier than 20261123T115500Z', {
        date: new Date(serverNow).toUTCString(),
      }),
      json(200, { ok: true }),
    );
    const { http } = client(dynamo.endpoint, { now: () => serverNow - 3_600_000 });
    expect(await http.call('Query', {})).toEqual({ ok: true });
    expect(dynamo.seen.map((s) => s.headers['x-amz-date'])).toEqual(['20261123T110000Z', '20261123T120000Z']);
  });
});

describe('dynamoDbEndpoint', () => {
  it('is the endpoint the SDK resolves, in every partition', async () => {
    const sdk = new DynamoDBClient({ region: 'us-east-1' });
    const regions = [
      'us-east-1',
      'eu-west-1',
      'ap-southeast-5',
      'mx-central-1',
      'il-central-1',
      'ca-west-1',
      'sa-east-1',
      'me-south-1',
      'af-south-1',
      'cn-north-1',
      'cn-northwest-1',
      'us-gov-west-1',
      'us-gov-east-1',
      'us-iso-east-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'us-isof-south-1',
      'eusc-de-east-1',
      'ap-future-9',
      'cn-future-3',
      'us-gov-future-2',
    ];
    try {
      for (const region of regions) {
        const resolved = sdk.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
        expect([region, dynamoDbEndpoint(region)]).toEqual([region, resolved.url.href.replace(/\/$/, '')]);
      }
    } finally {
      sdk.destroy();
    }
  });

  it('refuses a region that is not a host label', () => {
    expect(() => dynamoDbEndpoint('us-east-1.evil.com/x')).toThrow(/not an AWS region/);
  });
});

describe('credentials', () => {
  it('come from the environment Lambda sets, session token included', () => {
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' })()).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 's',
      sessionToken: 't',
    });
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' })()).toEqual({ accessKeyId: 'a', secretAccessKey: 's' });
    expect(() => environmentCredentials({})()).toThrow(/AWS_ACCESS_KEY_ID/);
  });

  it('missing: the call fails with that message and nothing is sent', async () => {
    const dynamo = await fakeDynamo(json(200, {}));
    const { http } = client(dynamo.endpoint, { credentials: environmentCredentials({}) });
    await expect(http.call('Query', {})).rejects.toThrow(/AWS_SECRET_ACCESS_KEY/);
    expect(dynamo.seen).toHaveLength(0);
  });
});

describe('createLightDynamoDb', () => {
  it('refuses endpoint settings it would otherwise ignore', () => {
    const config = { region: 'us-east-1', dynamodbEndpoint: undefined };
    for (const name of ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB']) {
      expect(() => createLightDynamoDb(config, { [name]: name.startsWith('AWS_USE') ? 'true' : 'https://x' })).toThrow(name);
    }
    expect(() => createLightDynamoDb(config, { AWS_USE_FIPS_ENDPOINT: 'false' })).not.toThrow();
  });
});
