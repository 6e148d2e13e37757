// Section 7: `admin import` of N generated users (lib/use-cases/user-import.ts, read from a JSONL
// file as the CLI reads it) into an empty table on DynamoDB Local, next to a bare loop that sends
// the same transactions (the same items: profile, username, email, integer-id and external-id
// claims, the event) with the same number in flight and nothing else: no file, no validation, no
// reads. Our rate over the bare loop's says whether the import or DynamoDB is the limit.
// DynamoDB Local slows down as its in-memory database grows (items and stream records), so each
// pass gets a DynamoDB Local of its own, warmed up with a few bare transactions in another table.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { fileSource } from '../lib/admin/user-import.ts';
import type { User } from '../lib/domain/user.ts';
import { hashPassword } from '../lib/passwords/hashing.ts';
import { securityEventPut } from '../lib/store/security-events.ts';
import { userCreationItems } from '../lib/store/user-creation.ts';
import { userImportStore } from '../lib/store/user-imports.ts';
import { newSecurityEvent } from '../lib/use-cases/security-events.ts';
import { importUsers } from '../lib/use-cases/user-import.ts';
import { ensureTable } from '../scripts/local-table.ts';
import { benchService } from './support/service.ts';

export interface ImportBenchOptions {
  rows: number;
  concurrency: number;
  progress: (message: string) => void;
  /** A DynamoDB Local for one pass (bench/lib/dynamo.ts startDynamo). */
  dynamo: () => Promise<{ endpoint: string; stop(): Promise<void> }>;
}

export interface ImportBenchSummary {
  rows: number;
  concurrency: number;
  ours: { seconds: number; rowsPerSecond: number; dbRequestsPerRow: number; imported: number; failed: number; cpuMsPerRow: number };
  bare: { seconds: number; rowsPerSecond: number; failed: number; cpuMsPerRow: number };
  /** Items in each transaction. */
  itemsPerRow: number;
}

const generatedRow = (i: number, passwordHash: string) =>
  JSON.stringify({
    username: `user${i}`,
    email: `user${i}@example.com`,
    email_verified: true,
    password_hash: passwordHash,
    first_name: 'Bench',
    last_name: `User ${i}`,
    created_at: '2020-01-01T00:00:00Z',
    id: i + 1,
  });

async function writeRows(path: string, rows: number, passwordHash: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i += 1) {
    if (!out.write(`${generatedRow(i, passwordHash)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

async function newTable(endpoint: string): Promise<string> {
  const tableName = `bench-import-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return tableName;
}

/** The bare loop: the same transactions as the import writes, `concurrency` in flight, nothing else. */
async function bareLoop(endpoint: string, rows: number, concurrency: number, passwordHash: string): Promise<{ seconds: number; written: number }> {
  const { deps } = benchService(endpoint, await newTable(endpoint));
  const { tableName } = deps.config;
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < rows; i = next++) {
      const n = i;
      const now = Date.now();
      const user: User = {
        id: randomUUID(),
        number: n + 1,
        username: `user${n}`,
        email: `user${n}@example.com`,
        emailVerified: true,
        profile: { first_name: 'Bench', last_name: `User ${n}` },
        passwordHash,
        externalId: String(n + 1),
        status: 'active',
        permissions: [],
        createdAt: '2020-01-01T00:00:00.000Z',
        updatedAt: new Date(now).toISOString(),
      };
      const event = newSecurityEvent(user.id, 'account_imported', deps, { channel: 'admin', details: { hash_format: 'argon2id' } });
      const items = [...userCreationItems(tableName, user).map((entry) => entry.item), securityEventPut(tableName, event)];
      try {
        await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
      } catch {
        // Given up after the SDK's own retries (DynamoDB Local overloaded): counted, like the import's failed rows.
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - started) / 1000, written: rows - failed };
}

/** Runs `pass` against a DynamoDB Local of its own, after a short warm-up of the JVM there. */
async function onFreshDynamo<T>(options: ImportBenchOptions, passwordHash: string, pass: (endpoint: string) => Promise<T>): Promise<T> {
  const dynamo = await options.dynamo();
  try {
    await bareLoop(dynamo.endpoint, WARMUP_ROWS, options.concurrency, passwordHash);
    return await pass(dynamo.endpoint);
  } finally {
    await dynamo.stop();
  }
}

const WARMUP_ROWS = 300;

/** This process's CPU time (user + system), in milliseconds: what our code costs, DynamoDB Local's JVM apart. */
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

export async function benchImport(options: ImportBenchOptions): Promise<ImportBenchSummary> {
  const { rows, concurrency, progress } = options;
  const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
  try {
    // Cheap argon2id parameters: the import never hashes, it stores the row's hash as given.
    const passwordHash = await hashPassword('correct horse battery staple', { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const file = join(dir, 'users.jsonl');
    await writeRows(file, rows, passwordHash);

    progress(`7. admin import of ${rows} users, ${concurrency} transactions in flight (a fresh DynamoDB Local)`);
    const ours = await onFreshDynamo(options, passwordHash, async (endpoint) => {
      const service = benchService(endpoint, await newTable(endpoint));
      const before = service.dbRequests();
      const cpu = process.cpuUsage();
      const started = performance.now();
      let shown = { at: 0, done: 0 };
      const summary = await importUsers(
        fileSource(file),
        { ...service.deps, imports: userImportStore(service.deps.db, service.deps.config.tableName) },
        {
          concurrency,
          onReject: (reject) => {
            // A write that failed after every retry is the import's honest answer under overload: counted, shown.
            if (!reject.reasons.every((reason) => reason.startsWith('write failed')))
              throw new Error(`the benchmark's row ${reject.line} was rejected: ${reject.reasons.join('; ')}`);
          },
          onProgress: (p) => {
            if (p.elapsedMs - shown.at < 10_000) return;
            const recent = ((p.done - shown.done) * 1000) / (p.elapsedMs - shown.at);
            shown = { at: p.elapsedMs, done: p.done };
            progress(`7.   ${p.done}/${p.total}: ${Math.round((p.done * 1000) / p.elapsedMs)} rows/s so far, ${Math.round(recent)} rows/s since the last line`);
          },
        },
      );
      const seconds = (performance.now() - started) / 1000;
      if (summary.imported + summary.failed !== rows) throw new Error(`imported ${summary.imported} of ${rows}`);
      return {
        seconds,
        rowsPerSecond: summary.imported / seconds,
        dbRequestsPerRow: (service.dbRequests() - before) / rows,
        imported: summary.imported,
        failed: summary.failed,
        cpuMsPerRow: cpuMs(process.cpuUsage(cpu)) / rows,
      };
    });

    progress(`7. the bare TransactWriteItems loop: ${rows} users, ${concurrency} in flight (a fresh DynamoDB Local)`);
    const bare = await onFreshDynamo(options, passwordHash, async (endpoint) => {
      const cpu = process.cpuUsage();
      const result = await bareLoop(endpoint, rows, concurrency, passwordHash);
      return { ...result, cpuMsPerRow: cpuMs(process.cpuUsage(cpu)) / rows };
    });
    return {
      rows,
      concurrency,
      ours,
      bare: { seconds: bare.seconds, rowsPerSecond: bare.written / bare.seconds, failed: rows - bare.written, cpuMsPerRow: bare.cpuMsPerRow },
      itemsPerRow: 6,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
