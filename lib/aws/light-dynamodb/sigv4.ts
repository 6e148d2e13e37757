// AWS Signature Version 4, header form, with node:crypto: what the light DynamoDB client
// (./http.ts) needs, and no more (no query strings, no presigning, no chunked or
// unsigned payloads). The algorithm: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// test/unit/store/sigv4.test.ts checks it against AWS's published SigV4 test suite and against
// @smithy/signature-v4 (the SDK's signer) for DynamoDB requests.
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present with temporary credentials (a Lambda role's); it is signed and sent as x-amz-security-token. */
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  /** The canonical, already URI-encoded path without a query; DynamoDB's is always "/". */
  path: string;
  /** Every header to sign, host included; names in any case. */
  headers: Record<string, string>;
  body: string;
}

export interface SigningContext {
  credentials: AwsCredentials;
  region: string;
  service: string;
  /** The signing time, which the receiver checks against its clock (5 minutes of skew allowed). */
  date: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Headers that proxies may change and that the SDK never signs (nor proxy-* and sec-*); a
 * signature over them could break in transit. The rest of the request's headers are signed.
 */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** "20150830T123600Z" */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// The signing key depends only on the secret and the day, region and service: derived once a day
// (four HMACs) rather than for every request.
let signingKeyCache: { secret: string; scope: string; key: Buffer } | undefined;

function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  const scope = `${day}/${region}/${service}`;
  if (signingKeyCache?.secret === secretAccessKey && signingKeyCache.scope === scope) return signingKeyCache.key;
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  signingKeyCache = { secret: secretAccessKey, scope, key };
  return key;
}

/**
 * Lower-cased names (sorted) and values with line breaks made spaces, runs of spaces and tabs
 * collapsed and the ends trimmed, exactly as the SDK's signer does.
 */
function canonicalHeaders(headers: Record<string, string>): { names: string[]; values: Map<string, string> } {
  const values = new Map<string, string>();
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (UNSIGNABLE.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) continue;
    if (values.has(name)) throw new Error(`signRequest got the header ${name} twice`);
    values.set(
      name,
      rawValue
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .replace(/^ | $/g, ''),
    );
  }
  return { names: [...values.keys()].sort(), values };
}

/**
 * The headers to add to `request` so AWS accepts it: x-amz-date, x-amz-security-token (with
 * temporary credentials) and authorization. Both x-amz-* headers are signed too.
 */
export function signRequest(request: SignableRequest, context: SigningContext): Record<string, string> {
  if (request.path.includes('?')) throw new Error('signRequest does not sign query strings');
  const { credentials, region, service } = context;
  const stamp = amzDate(context.date);
  const day = stamp.slice(0, 8);
  const added: Record<string, string> = { 'x-amz-date': stamp };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;

  const { names, values } = canonicalHeaders({ ...request.headers, ...added });
  if (!values.has('host')) throw new Error('signRequest needs a host header');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    '', // no query string
    ...names.map((name) => `${name}:${values.get(name)}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, stamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, region, service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  return {
    ...added,
    authorization: `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
