// The SigV4 signer the authorizer's light DynamoDB client uses: AWS's published test vectors
// (the SigV4 test suite, as shipped in awslabs/aws-c-auth tests/aws-signing-test-suite/v4), and
// the very same Authorization header as the SDK's own signer (@smithy/signature-v4) for any
// DynamoDB request, fixed date, with and without a session token; and requests the real SDK client
// sent, signed again from their own headers, come out with the SDK's signature.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AwsCredentials, amzDate, signRequest } from '../../../lib/aws/light-dynamodb/sigv4.ts';

const SUITE_CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_DATE = new Date('2015-08-30T12:36:00Z');
const SUITE_SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

/** The SDK signer's hash: the same interface as @aws-crypto/sha256-js, on node:crypto. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: SourceData) =>
  typeof data === 'string' ? Buffer.from(data) : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', toBuffer(secret)) : createHash('sha256');
  }
  update(data: SourceData) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/** What @smithy/signature-v4 puts in the Authorization header for the same request. */
async function sdkAuthorization(
  request: { method: string; host: string; headers: Record<string, string>; body: string },
  credentials: AwsCredentials,
  region: string,
  service: string,
  date: Date,
): Promise<string> {
  // applyChecksum off: otherwise it adds (and signs) an x-amz-content-sha256 header of its own.
  const signer = new SignatureV4({ credentials, region, service, sha256: NodeSha256, applyChecksum: false });
  const signed = await signer.sign(
    { method: request.method, protocol: 'https:', hostname: request.host, path: '/', query: {}, headers: { ...request.headers }, body: request.body },
    { signingDate: date },
  );
  return signed.headers.authorization!;
}

const VECTORS: { name: string; method: string; headers: Record<string, string>; body: string; credentials: AwsCredentials; authorization: string }[] = [
  {
    name: 'post-vanilla',
    method: 'POST',
    headers: { Host: 'example.amazonaws.com' },
    body: '',
    credentials: SUITE_CREDENTIALS,
    authorization: `AWS4-HMAC-SHA256 Credential=${SUITE_SCOPE}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    headers: { Host: 'example.amazonaws.com', 'My-Header1': 'value1' },
    body: '',
    credentials: SUITE_CREDENTIALS,
    authorization: `AWS4-HMAC-SHA256 Credential=${SUITE_SCOPE}, SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c`,
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    headers: { Host: 'example.amazonaws.com', 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' },
    body: '',
    credentials: SUITE_CREDENTIALS,
    authorization: `AWS4-HMAC-SHA256 Credential=${SUITE_SCOPE}, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736`,
  },
  {
    name: 'get-vanilla-with-session-token',
    method: 'GET',
    headers: { Host: 'example.amazonaws.com' },
    body: '',
    credentials: { ...SUITE_CREDENTIALS, sessionToken: '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' },
    authorization: `AWS4-HMAC-SHA256 Credential=${SUITE_SCOPE}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8`,
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Host: 'example.amazonaws.com',
      'Content-Length': '13',
      'x-amz-content-sha256': '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    },
    body: 'Param1=value1',
    credentials: SUITE_CREDENTIALS,
    authorization: `AWS4-HMAC-SHA256 Credential=${SUITE_SCOPE}, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b`,
  },
];

describe('signRequest: the AWS SigV4 test suite', () => {
  it.each(VECTORS)('signs $name as published', async (vector) => {
    const added = signRequest(
      { method: vector.method, path: '/', headers: vector.headers, body: vector.body },
      { credentials: vector.credentials, region: 'us-east-1', service: 'service', date: SUITE_DATE },
    );
    expect(added.authorization).toBe(vector.authorization);
    expect(added['x-amz-date']).toBe('20150830T123600Z');
    expect(added['x-amz-security-token']).toBe(vector.credentials.sessionToken);
    // The harness itself: the SDK's signer agrees with the published value.
    const host = vector.headers.Host!;
    const others = Object.fromEntries(Object.entries(vector.headers).filter(([name]) => name !== 'Host'));
    expect(
      await sdkAuthorization(
        { method: vector.method, host, headers: { host, ...others }, body: vector.body },
        vector.credentials,
        'us-east-1',
        'service',
        SUITE_DATE,
      ),
    ).toBe(vector.authorization);
  });
});

describe('signRequest: the same signature as the SDK for DynamoDB requests', () => {
  const credentials = fc.record(
    {
      accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,20}$/),
      secretAccessKey: fc.stringMatching(/^[A-Za-z0-9/+]{40}$/),
      sessionToken: fc.stringMatching(/^[A-Za-z0-9/+=]{20,400}$/),
    },
    { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
  );
  const request = fc.record({
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1'),
    operation: fc.constantFrom('BatchGetItem', 'Query', 'UpdateItem', 'GetItem'),
    // Any JSON body, non-ASCII included: the payload hash is over its UTF-8 bytes.
    body: fc.json(),
    date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
    // Extra headers with awkward whitespace, to exercise canonicalisation.
    extra: fc.dictionary(fc.stringMatching(/^x-test-[a-z0-9-]{1,12}$/), fc.stringMatching(/^[ \t]*[!-~]([ \t!-~]{0,30}[!-~])?[ \t]*$/), { maxKeys: 3 }),
  });

  it('agrees with @smithy/signature-v4 on every request', async () => {
    await fc.assert(
      fc.asyncProperty(credentials, request, async (creds, r) => {
        const host = `dynamodb.${r.region}.amazonaws.com${r.region.startsWith('cn-') ? '.cn' : ''}`;
        const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${r.operation}`, host, ...r.extra };
        const ours = signRequest(
          { method: 'POST', path: '/', headers, body: r.body },
          { credentials: creds, region: r.region, service: 'dynamodb', date: r.date },
        );
        const sdk = await sdkAuthorization({ method: 'POST', host, headers, body: r.body }, creds, r.region, 'dynamodb', r.date);
        expect(ours.authorization).toBe(sdk);
      }),
      { numRuns: 300 },
    );
  });

  it('does not sign headers a proxy may rewrite', () => {
    const base = { host: 'dynamodb.us-east-1.amazonaws.com', 'x-amz-target': 'DynamoDB_20120810.Query' };
    const context = { credentials: SUITE_CREDENTIALS, region: 'us-east-1', service: 'dynamodb', date: SUITE_DATE };
    const plain = signRequest({ method: 'POST', path: '/', headers: base, body: '{}' }, context);
    const withUnsignable = signRequest(
      {
        method: 'POST',
        path: '/',
        headers: { ...base, 'User-Agent': 'x', Connection: 'keep-alive', 'X-Amzn-Trace-Id': 'Root=1', 'proxy-authorization': 'p' },
        body: '{}',
      },
      context,
    );
    expect(withUnsignable.authorization).toBe(plain.authorization);
  });

  it('changes the signature when anything signed changes', () => {
    const context = { credentials: SUITE_CREDENTIALS, region: 'us-east-1', service: 'dynamodb', date: SUITE_DATE };
    const request = { method: 'POST', path: '/', headers: { host: 'dynamodb.us-east-1.amazonaws.com', 'x-amz-target': 'DynamoDB_20120810.Query' }, body: '{}' };
    const signature = (r: typeof request, c = context) => signRequest(r, c).authorization;
    const original = signature(request);
    expect(signature({ ...request, body: '{ }' })).not.toBe(original);
    expect(signature({ ...request, headers: { ...request.headers, 'x-amz-target': 'DynamoDB_20120810.GetItem' } })).not.toBe(original);
    expect(signature(request, { ...context, region: 'us-east-2' })).not.toBe(original);
    expect(signature(request, { ...context, date: new Date(SUITE_DATE.getTime() + 1000) })).not.toBe(original);
    expect(signature(request, { ...context, credentials: { ...SUITE_CREDENTIALS, secretAccessKey: 'another' } })).not.toBe(original);
  });

  it('refuses what it cannot sign rather than sign it wrongly', () => {
    const context = { credentials: SUITE_CREDENTIALS, region: 'us-east-1', service: 'dynamodb', date: SUITE_DATE };
    expect(() => signRequest({ method: 'GET', path: '/?a=b', headers: { host: 'h' }, body: '' }, context)).toThrow(/query/);
    expect(() => signRequest({ method: 'GET', path: '/', headers: {}, body: '' }, context)).toThrow(/host/);
    expect(() => signRequest({ method: 'GET', path: '/', headers: { host: 'h', Host: 'h' }, body: '' }, context)).toThrow(/twice/);
  });

  it('formats the signing time as AWS does', () => {
    expect(amzDate(new Date('2026-11-23T05:06:07.891Z'))).toBe('20261123T050607Z');
  });
});

describe('signRequest: requests the SDK itself sent', () => {
  /** Captures the raw requests a real DynamoDB client sends, answering each with an empty success. */
  async function captureSdkRequests(send: (client: DynamoDBDocumentClient) => Promise<unknown>, credentials: AwsCredentials) {
    const captured: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        captured.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new DynamoDBClient({ region: 'eu-central-1', endpoint: `http://127.0.0.1:${port}`, credentials, maxAttempts: 1 });
    try {
      await send(DynamoDBDocumentClient.from(client));
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    return captured;
  }

  it.each([
    ['long-term credentials', { accessKeyId: 'AKIAEXAMPLE123456789', secretAccessKey: 'c2VjcmV0IGtleSBmb3IgYSB0ZXN0IG9ubHkgLS0tLQ' }],
    [
      'temporary credentials',
      {
        accessKeyId: 'ASIAEXAMPLE123456789',
        secretAccessKey: 'dGVtcG9yYXJ5IHNlY3JldCBmb3IgYSB0ZXN0IC0tLQ',
        sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//session+token==',
      },
    ],
  ] as const)('matches the Authorization header of the SDK with %s', async (_, credentials) => {
    const requests = await captureSdkRequests(async (db) => {
      await db.send(
        new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'USER#ü—✓' }, ConsistentRead: true }),
      );
      await db.send(
        new UpdateCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' }, UpdateExpression: 'SET lastUsedAt = :now', ExpressionAttributeValues: { ':now': 1 } }),
      );
    }, credentials);
    expect(requests).toHaveLength(2);
    for (const { headers, body } of requests) {
      const authorization = String(headers.authorization);
      const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
      // The headers the SDK signed, minus the two the signer adds itself.
      const toSign = Object.fromEntries(signedNames.filter((n) => n !== 'x-amz-date' && n !== 'x-amz-security-token').map((n) => [n, String(headers[n])]));
      const date = new Date(String(headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      const ours = signRequest({ method: 'POST', path: '/', headers: toSign, body }, { credentials, region: 'eu-central-1', service: 'dynamodb', date });
      expect(ours.authorization).toBe(authorization);
      expect(ours['x-amz-security-token']).toBe(headers['x-amz-security-token']);
    }
  });
});
