// Section 6: what the first KMS Decrypt adds to a signing function's cold start. A signing function
// opens its key once per instance (lib/tokens/signer.ts), and that first Decrypt also loads
// @aws-sdk/client-kms (imported lazily by lib/aws/kms.ts) and builds the client. Each round is a
// fresh Node process that times: the import, the client, the first Decrypt, then a second Decrypt
// (what the call itself costs warm). Against the local KMS endpoint (scripts/local-kms/), so the
// network part is loopback: in AWS add the in-region round trip of one KMS call. Cheap: 5 rounds.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startLocalKms } from '../scripts/local-kms/server.ts';
import { percentile } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALIAS = 'alias/bench';

export interface KmsSummary {
  rounds: number;
  /** Median ms: import + client + first Decrypt, i.e. what the first signature of an instance pays. */
  firstMs: number;
  importMs: number;
  /** Median ms of a second Decrypt in the same process. */
  warmMs: number;
}

function child(endpoint: string, blob: string, context: Record<string, string>): string {
  return `
const t0 = performance.now();
const { KMSClient, DecryptCommand } = await import('@aws-sdk/client-kms');
const t1 = performance.now();
const client = new KMSClient({ region: 'us-east-1', endpoint: ${JSON.stringify(endpoint)}, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
const input = { CiphertextBlob: Buffer.from(${JSON.stringify(blob)}, 'base64'), EncryptionContext: ${JSON.stringify(context)} };
await client.send(new DecryptCommand(input));
const t2 = performance.now();
await client.send(new DecryptCommand(input));
const t3 = performance.now();
client.destroy();
process.stdout.write(JSON.stringify({ first: t2 - t0, imported: t1 - t0, warm: t3 - t2 }));`;
}

function run(program: string): Promise<{ first: number; imported: number; warm: number }> {
  return new Promise((resolve, reject) => {
    const node = spawn(process.execPath, ['--input-type=module', '-e', program], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    node.stdout.on('data', (chunk: Buffer) => (out += chunk));
    node.stderr.on('data', (chunk: Buffer) => (err += chunk));
    node.once('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`KMS bench child failed: ${err.slice(-500)}`))));
  });
}

export async function benchKms(rounds = 5): Promise<KmsSummary> {
  const kms = await startLocalKms({ port: 0, aliases: [ALIAS] });
  const client = new KMSClient({ region: 'us-east-1', endpoint: kms.endpoint, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  try {
    const context = { service: 'auth-service', stage: 'bench', kid: 'bench-kid' };
    const { CiphertextBlob } = await client.send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256', EncryptionContext: context }));
    const blob = Buffer.from(CiphertextBlob!).toString('base64');
    // Sanity: the blob opens here, so a child's failure is the child's.
    await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    const samples = [];
    for (let i = 0; i < rounds; i++) samples.push(await run(child(kms.endpoint, blob, context)));
    return {
      rounds,
      firstMs: percentile(
        samples.map((s) => s.first),
        50,
      ),
      importMs: percentile(
        samples.map((s) => s.imported),
        50,
      ),
      warmMs: percentile(
        samples.map((s) => s.warm),
        50,
      ),
    };
  } finally {
    client.destroy();
    await kms.close();
  }
}
