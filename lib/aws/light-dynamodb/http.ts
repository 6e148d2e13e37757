// DynamoDB's JSON protocol over HTTPS without the AWS SDK: one signed POST per operation on a
// kept-alive connection. It exists for the Lambda authorizer, whose cold start cannot afford
// loading the SDK (~90 ms; see bench/README.md); every other function uses the SDK.
// What the SDK would do, it does the same way: SigV4 (./sigv4.ts), the standard retry mode
// (./retry.ts, ../transient-errors.ts), SDK-shaped errors (name = DynamoDB's error code, $metadata.httpStatusCode), clock
// skew correction. On top, the x-amz-crc32 checksum DynamoDB sends is checked, and each attempt has
// a deadline, so a stalled connection is retried rather than eating the Lambda's whole timeout.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { crc32 } from 'node:zlib';
import { DYNAMODB_TIMEOUTS } from '../dynamodb-settings.ts';
import { classifyError } from '../transient-errors.ts';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, retryQuota } from './retry.ts';
import { type AwsCredentials, signRequest } from './sigv4.ts';

export interface DynamoDbHttpOptions {
  region: string;
  /** The endpoint URL; defaults to the region's public endpoint. */
  endpoint?: string;
  /** Called for every attempt, so rotated credentials are picked up. */
  credentials: () => AwsCredentials;
  maxAttempts?: number;
  /** How long a new connection may take to come up before the attempt counts as a TimeoutError. */
  connectionTimeoutMs?: number;
  /** How long one attempt may take, connecting included, before it counts as a TimeoutError. */
  attemptTimeoutMs?: number;
  /** Injected by tests: the wait between attempts, the jitter, and the clock signatures use. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface DynamoDbHttp {
  /** Sends `operation` (e.g. "BatchGetItem") with `input` in the wire format; resolves to the parsed response. */
  call(operation: string, input: object): Promise<Record<string, unknown>>;
  /** The URL requests go to. */
  readonly endpoint: string;
}

/** Shaped like the SDK's service exceptions, so code that recognises those recognises these. */
export class DynamoDbError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId?: string; attempts?: number };
  $retryable?: { throttling?: boolean };
  $clockSkewCorrected?: boolean;

  constructor(name: string, message: string, statusCode: number, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: statusCode, ...(requestId ? { requestId } : {}) };
  }
}

const API_VERSION_TARGET = 'DynamoDB_20120810';
/** The SDK client's settings: DynamoDB answers in milliseconds, so slower is stuck. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = DYNAMODB_TIMEOUTS.connectionTimeout;
export const DEFAULT_ATTEMPT_TIMEOUT_MS = DYNAMODB_TIMEOUTS.requestTimeout;
/** How far our clock may be off DynamoDB's before we adopt its time (SigV4 allows 5 minutes). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const CLOCK_SKEW_CODES = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);

/** The DNS suffix of each AWS partition but the default one (aws and aws-us-gov: amazonaws.com). */
const PARTITION_DNS_SUFFIXES: [RegExp, string][] = [
  [/^cn-\w+-\d+$/, 'amazonaws.com.cn'],
  [/^eusc-de-\w+-\d+$/, 'amazonaws.eu'],
  [/^us-iso-\w+-\d+$/, 'c2s.ic.gov'],
  [/^us-isob-\w+-\d+$/, 'sc2s.sgov.gov'],
  [/^eu-isoe-\w+-\d+$/, 'cloud.adc-e.uk'],
  [/^us-isof-\w+-\d+$/, 'csp.hci.ic.gov'],
];

/** The region's public DynamoDB endpoint, as the SDK resolves it (no FIPS, no dual stack). */
export function dynamoDbEndpoint(region: string): string {
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`"${region}" is not an AWS region name`);
  const suffix = PARTITION_DNS_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? 'amazonaws.com';
  return `https://dynamodb.${region}.${suffix}`;
}

/** Credentials from the environment, where Lambda puts the function role's. */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): () => AwsCredentials {
  return () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error('No AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them from the function role)');
    }
    return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The error code of a JSON-protocol error, e.g. "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException:http://..." */
function errorCode(headers: IncomingHttpHeaders, body: Record<string, unknown>): string | undefined {
  const raw = [headers['x-amzn-errortype'], body.code, body.__type].find((value) => typeof value === 'string' && value) as string | undefined;
  return raw === undefined ? undefined : raw.split(':')[0]!.split('#').pop();
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function dynamoDbHttp(options: DynamoDbHttpOptions): DynamoDbHttp {
  const url = new URL(options.endpoint ?? dynamoDbEndpoint(options.region));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Unsupported DynamoDB endpoint ${url.href}`);
  if (url.pathname !== '/' || url.search) throw new Error(`A DynamoDB endpoint has no path or query: ${url.href}`);
  const secure = url.protocol === 'https:';
  // Kept-alive sockets spare the TCP and TLS handshakes on every invocation of a warm instance.
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send = secure ? httpsRequest : httpRequest;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const quota = retryQuota();
  let clockOffsetMs = 0;

  function post(headers: Record<string, string>, body: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let connecting: NodeJS.Timeout | undefined;
      const finish = (error: Error | undefined, response?: RawResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearTimeout(connecting);
        if (error) reject(error);
        else resolve(response!);
      };
      const timeout = (message: string) => {
        const error = Object.assign(new Error(message), { name: 'TimeoutError' });
        request.destroy(error);
        finish(error);
      };
      const request = send({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''), // an IPv6 literal without its brackets
        port: url.port || undefined,
        path: '/',
        method: 'POST',
        headers,
        agent,
      });
      const deadline = setTimeout(() => timeout(`DynamoDB did not answer within ${attemptTimeoutMs} ms`), attemptTimeoutMs);
      // A kept-alive socket is already connected; only a new one has to come up in time.
      request.once('socket', (socket) => {
        if (!socket.connecting) return;
        connecting = setTimeout(() => timeout(`No connection to DynamoDB within ${connectionTimeoutMs} ms`), connectionTimeoutMs);
        socket.once('connect', () => clearTimeout(connecting));
      });
      request.once('error', (error) => finish(error));
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', (error) => finish(error));
        response.once('end', () => finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        // Closed before its end: the connection broke mid-response (a no-op after 'end').
        response.once('close', () => finish(Object.assign(new Error('The DynamoDB response was cut short'), { code: 'ECONNRESET' })));
      });
      request.end(body);
    });
  }

  async function attempt(operation: string, body: string): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `${API_VERSION_TARGET}.${operation}`,
    };
    const signed = signRequest(
      { method: 'POST', path: '/', headers, body },
      { credentials: options.credentials(), region: options.region, service: 'dynamodb', date: new Date(now() + clockOffsetMs) },
    );
    const response = await post({ ...headers, ...signed, 'content-length': String(Buffer.byteLength(body)) }, body);
    const requestId = response.headers['x-amzn-requestid'] as string | undefined;
    const checksum = response.headers['x-amz-crc32'];
    if (typeof checksum === 'string' && Number(checksum) !== crc32(response.body)) {
      const error = new DynamoDbError('CRC32CheckFailed', 'The DynamoDB response does not match its x-amz-crc32 checksum', response.status, requestId);
      error.$retryable = {};
      throw error;
    }
    const parsed = parseJson(response.body);
    if (response.status === 200) {
      if (!parsed) throw new DynamoDbError('DeserializationError', 'DynamoDB answered 200 with a body that is not a JSON object', 200, requestId);
      return parsed;
    }
    // No code (a load balancer's 503, say): named as the SDK names it; its status still decides a retry.
    const name = (parsed && errorCode(response.headers, parsed)) || 'Unknown';
    const message = String(parsed?.message ?? parsed?.Message ?? `DynamoDB answered HTTP ${response.status}`);
    const error = new DynamoDbError(name, message, response.status, requestId);
    // A signature refused for its time: take DynamoDB's clock (from the Date header) and try again.
    const serverTime = Date.parse(String(response.headers.date ?? ''));
    if (CLOCK_SKEW_CODES.has(name) && Number.isFinite(serverTime) && Math.abs(serverTime - (now() + clockOffsetMs)) > MAX_CLOCK_SKEW_MS) {
      clockOffsetMs = serverTime - now();
      error.$clockSkewCorrected = true;
    }
    throw error;
  }

  return {
    endpoint: url.href,
    async call(operation, input) {
      const body = JSON.stringify(input);
      let lastRetryCost: number | undefined;
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        try {
          const output = await attempt(operation, body);
          quota.succeeded(lastRetryCost);
          return output;
        } catch (error) {
          const kind = classifyError(error);
          const cost = kind !== 'other' && attemptNumber < maxAttempts ? quota.take(kind) : undefined;
          if (kind === 'other' || cost === undefined) {
            if (error instanceof DynamoDbError) error.$metadata.attempts = attemptNumber;
            throw error;
          }
          lastRetryCost = cost;
          await sleep(backoffMs(kind, attemptNumber - 1, random));
        }
      }
    },
  };
}
