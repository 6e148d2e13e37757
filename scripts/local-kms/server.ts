// A local stand-in for AWS KMS: the subset of its JSON 1.1 protocol (POST /, X-Amz-Target
// TrentService.<Operation>, application/x-amz-json-1.1, blobs in base64) that the service uses,
// GenerateDataKey and Decrypt, so the real @aws-sdk/client-kms runs unchanged against it
// (KMS_ENDPOINT), as DynamoDB Local and aws-ses-v2-local stand in for their services.
// Hand-written because no KMS emulator installs from what this project can reach: AWS publishes
// none on npm or in Debian (local-kms and LocalStack are Go binaries and Docker images), and a
// few dozen lines of node:http and node:crypto are cheaper than a container. It is NOT KMS: no
// IAM, no grants, no key policies, no rotation; the key material sits in a file. What it does
// keep is the part our code depends on: a data key opens only with the encryption context it was
// made with, and a wrong one is refused with KMS's own error (InvalidCiphertextException, 400).
// Errors have KMS's shape: HTTP 400 and {"__type": "<Exception>", "message": "..."}.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blobKeyId, unwrap, wrap } from './blobs.ts';
import { type LocalKeyStore, localKeyStore } from './key-store.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const arn = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

function context(body: Body): Record<string, string> | undefined {
  const value = body.EncryptionContext;
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new KmsError('ValidationException', 'EncryptionContext must be a map of strings');
  }
  return value as Record<string, string>;
}

function blob(body: Body, field: string): Buffer {
  const value = body[field];
  if (typeof value !== 'string' || !value) throw new KmsError('ValidationException', `${field} is required`);
  return Buffer.from(value, 'base64');
}

function keyFor(keys: LocalKeyStore, keyId: unknown): string {
  if (typeof keyId !== 'string' || !keyId) throw new KmsError('ValidationException', 'KeyId is required');
  const id = keys.resolve(keyId);
  if (!id) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
  return id;
}

const OPERATIONS: Record<string, (keys: LocalKeyStore, body: Body) => Body> = {
  GenerateDataKey(keys, body) {
    const keyId = keyFor(keys, body.KeyId);
    const bytes = body.KeySpec === 'AES_256' ? 32 : body.KeySpec === 'AES_128' ? 16 : body.NumberOfBytes;
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
      throw new KmsError('ValidationException', 'Give KeySpec (AES_256 or AES_128) or NumberOfBytes (1-1024)');
    }
    const plaintext = randomBytes(bytes);
    const wrapped = wrap(keyId, keys.material(keyId)!, plaintext, context(body));
    return { CiphertextBlob: wrapped.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: arn(keyId) };
  },

  Decrypt(keys, body) {
    const ciphertext = blob(body, 'CiphertextBlob');
    const encryptionContext = context(body);
    const keyId = blobKeyId(ciphertext);
    const material = keyId === undefined ? undefined : keys.material(keyId);
    if (!keyId || !material) throw new KmsError('InvalidCiphertextException', '');
    if (body.KeyId !== undefined && keys.resolve(String(body.KeyId)) !== keyId) {
      throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
    }
    try {
      return { KeyId: arn(keyId), Plaintext: unwrap(material, ciphertext, encryptionContext).toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    } catch {
      // KMS says no more than this about a wrong context or a tampered blob.
      throw new KmsError('InvalidCiphertextException', '');
    }
  },
};

function send(response: ServerResponse, status: number, body: Body): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface LocalKmsOptions {
  port: number;
  /** Where keys.json is kept; undefined keeps the keys in memory (gone at close). */
  dataDir?: string;
  /** Aliases to create (each with a key of its own) unless they exist, e.g. `alias/auth-service-local`. */
  aliases?: string[];
}

export interface LocalKms {
  endpoint: string;
  /** The key ARN of each alias given. */
  keyArns: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 (key material never leaves this machine). */
export async function startLocalKms(options: LocalKmsOptions): Promise<LocalKms> {
  const keys = localKeyStore(options.dataDir);
  const keyArns = Object.fromEntries((options.aliases ?? []).map((alias) => [alias, arn(keys.ensureAlias(alias))]));
  const server = createServer(async (request, response) => {
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('TrentService.') ? OPERATIONS[target.slice('TrentService.'.length)] : undefined;
      if (request.method !== 'POST' || !operation) throw new KmsError('UnknownOperationException', `Unsupported operation ${target || '(none)'}`);
      let body: unknown;
      try {
        body = JSON.parse((await readBody(request)) || '{}');
      } catch {
        throw new KmsError('SerializationException', 'The request body is not JSON');
      }
      if (typeof body !== 'object' || body === null) throw new KmsError('SerializationException', 'The request body is not a JSON object');
      send(response, 200, operation(keys, body as Body));
    } catch (error) {
      if (error instanceof KmsError) send(response, 400, { __type: error.type, message: error.message });
      else send(response, 500, { __type: 'KMSInternalException', message: 'internal error' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    keyArns,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
