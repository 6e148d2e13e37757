// Key rotation, two ways in: scheduled (and `npm run rotate-keys`), it makes the pre-published next
// key current; as the CloudFormation custom resource SigningKeys (serverless.yml), it creates the
// first key and the next one at deploy time, so the JWKS is never empty. The previous key stays in
// the JWKS until every token it signed has expired. A key set this function cannot decrypt is
// never rotated: it fails loudly (an error, logged without key material) and changes nothing.

import { answerCustomResource, type CustomResourceEvent, isCustomResourceEvent } from '../lib/aws/custom-resource.ts';
import { log } from '../lib/support/log.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

/** Create and Update make sure the keys exist and open (idempotent); Delete keeps them, with the retained table. */
async function signingKeysResource(event: CustomResourceEvent): Promise<void> {
  // One id for the life of the stack: a new one would make CloudFormation delete the "old" resource.
  const physicalResourceId = event.PhysicalResourceId ?? `signing-keys-${deps.config.tableName}`;
  try {
    if (event.RequestType === 'Delete') {
      await answerCustomResource(event, { status: 'SUCCESS', physicalResourceId, reason: 'Signing keys are kept with the table' });
      return;
    }
    const result = await deps.signer.ensureKeys();
    log.info('signing keys ready', { requestType: event.RequestType, ...result });
    await answerCustomResource(event, { status: 'SUCCESS', physicalResourceId, data: { Kid: result.kid, NextKid: result.nextKid ?? '' } });
  } catch (error) {
    log.error('signing keys not ready', { requestType: event.RequestType, error });
    const reason = `Signing keys not ready: ${(error as Error).message}`;
    await answerCustomResource(event, { status: 'FAILED', physicalResourceId, reason });
  }
}

export const handler = async (event: unknown): Promise<unknown> => {
  if (isCustomResourceEvent(event)) return signingKeysResource(event);
  try {
    const result = await deps.signer.rotate();
    log.info('signing key rotated', result);
    return result;
  } catch (error) {
    // The error is a KeyUnavailableError (nothing changed) or a store failure: thrown, so the
    // invocation fails and its failure destination and alarm see it.
    log.error('signing key rotation failed', { error });
    throw error;
  }
};
