// `npm run rotate-keys`: promotes the published next signing key and stages a new one, against the
// local stack by default (its DynamoDB Local and local KMS endpoint). For a deployment, invoke the
// deployed function instead (see docs/operations.md), so the rotation runs with the stage's own
// configuration and role.

import { loadConfig } from '../lib/config/all.ts';
import { buildDependencies } from '../lib/wiring/dependencies.ts';
import { LOCAL_KMS_ALIAS, LOCAL_TABLE_NAME } from './local-data.ts';

const env = {
  TABLE_NAME: LOCAL_TABLE_NAME,
  DYNAMODB_ENDPOINT: `http://127.0.0.1:${process.env.DYNAMODB_PORT || 8000}`,
  KMS_ENDPOINT: `http://127.0.0.1:${process.env.KMS_PORT || 8006}`,
  KMS_KEY_ID: LOCAL_KMS_ALIAS,
  PUBLIC_URL: `http://localhost:${process.env.PORT || 3000}`,
  ...process.env,
};

try {
  const { signer } = buildDependencies(loadConfig(env));
  const result = await signer.rotate();
  console.log(`Signing key rotated: now signing with ${result.kid}; next key ${result.nextKid} published.`);
  if (result.retiredKid) console.log(`Retired ${result.retiredKid}; it stays in the JWKS until its tokens have expired.`);
} catch (error) {
  console.error(`Key rotation failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
