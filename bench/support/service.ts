// The service's real dependencies (lib/wiring/dependencies.ts buildDependencies) against the benchmark's DynamoDB
// Local, with a counter of every request the SDK sends, so "no round trip" can be checked, not assumed.
import { loadConfig } from '../../lib/config/all.ts';
import type { Mailer } from '../../lib/domain/mail.ts';
import { buildDependencies, type Dependencies } from '../../lib/wiring/dependencies.ts';
import { inProcessDataKeys } from '../../scripts/local-kms/in-process.ts';

export interface BenchService {
  deps: Dependencies;
  /** DynamoDB requests sent so far (every command, including each transaction). */
  dbRequests(): number;
}

/** No mail is sent by the paths measured; a mailer that would say so if one were. */
const noMail: Mailer = {
  async send() {
    throw new Error('the benchmark sends no mail');
  },
};

export function benchService(endpoint: string, tableName: string): BenchService {
  const config = loadConfig({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'us-east-1',
    PUBLIC_URL: 'http://localhost:3000',
    // Production argon2 parameters (the defaults) unless the caller's environment says otherwise,
    // exactly as a deployment would read them.
    ARGON2_MEMORY_KIB: process.env.ARGON2_MEMORY_KIB,
    ARGON2_ITERATIONS: process.env.ARGON2_ITERATIONS,
    ARGON2_PARALLELISM: process.env.ARGON2_PARALLELISM,
  });
  // KMS stood in for in-process: what sections 2 and 3 measure signs with an already-opened key.
  const deps = buildDependencies(config, undefined, undefined, noMail, inProcessDataKeys());
  let requests = 0;
  deps.db.middlewareStack.add(
    (next) => async (args) => {
      requests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return { deps, dbRequests: () => requests };
}
