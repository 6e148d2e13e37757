// Ports for tests that start servers of their own beside the suite's stack: fixed offsets from the
// suite's TEST_* ports, so runs on other ports (parallel runs, `npm start`) never collide.
import { portFromEnv as port } from '../../scripts/ports.ts';

/** The API, its Lambda port, DynamoDB Local, the SES and the KMS endpoint, `offset` above the suite's own. */
export interface PortsBeside {
  api: number;
  lambda: number;
  dynamo: number;
  ses: number;
  kms: number;
}

// Offsets taken (files may run at the same time, in two workers): 10 local-stack-failures, 20 to 50
// start-stop, 60 start-config, 70 faults-dynamodb-outage (its DynamoDB Local only).

/** Ports `offset` above TEST_PORT, TEST_DYNAMODB_PORT, TEST_SES_PORT and TEST_KMS_PORT; use a multiple of 10 per test file. */
export function portsBeside(offset: number): PortsBeside {
  const api = port('TEST_PORT', 3100) + offset;
  const ses = port('TEST_SES_PORT', 8105);
  return { api, lambda: api + 2, dynamo: port('TEST_DYNAMODB_PORT', 8100) + offset, ses: ses + offset, kms: port('TEST_KMS_PORT', ses + 1) + offset };
}
