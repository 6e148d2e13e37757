// An authorization code's redemption interrupted by DynamoDB at each of its calls (faults injected
// under the SDK): nothing is half done, i.e. the code stays unused and no session exists, so the
// client's retry redeems it; an answer lost once is retried by the SDK idempotently (the
// transaction's ClientRequestToken), so the retry is no "replay" that would end the session.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import { DependencyUnavailableError } from '../../lib/domain/errors.ts';
import { createDb } from '../../lib/store/client.ts';
import type { ClientCredentials } from '../../lib/use-cases/oauth-client-authentication.ts';
import { tokenRequest } from '../../lib/use-cases/oauth-token.ts';
import { buildDependencies, type Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv } from '../support/deps.ts';
import { injectFaults } from '../support/fault-injection.ts';
import { REDIRECT_URI, storedClient, storedCode } from '../support/oauth-tokens.ts';
import { storedUser } from '../support/users.ts';

/** Dependencies on a DynamoDB client of their own, with faults injected into it. */
function faultyDeps() {
  const config = loadConfig(stackEnv());
  const db = createDb(config);
  const deps = buildDependencies(config, testClock(), db);
  return { deps, faults: injectFaults(db) };
}

async function prepared(deps: Dependencies) {
  const app = await storedClient(deps);
  const user = await storedUser(deps, 'fault');
  const issued = await storedCode(deps, app.client.clientId, user.id);
  const presented: ClientCredentials = { clientId: app.client.clientId, secret: app.secret!, method: 'client_secret_basic' };
  const exchange = () =>
    tokenRequest(presented, { grant_type: 'authorization_code', code: issued.code, redirect_uri: REDIRECT_URI, code_verifier: issued.verifier }, deps);
  return { user, issued, exchange };
}

describe('an authorization code redemption when DynamoDB fails', () => {
  it('leaves the code unused and no session, whichever call fails, and the retry redeems it', async () => {
    const { deps, faults } = faultyDeps();
    // Twice: the first exchange also loads the key set, which the instance then keeps.
    await (await prepared(deps)).exchange();
    const probe = await prepared(deps);
    faults.clear();
    await probe.exchange();
    const steps = [...faults.calls];
    expect(steps).toEqual(['GetItem', 'GetItem', 'GetItem', 'TransactWriteItems']);
    expect(steps).toContain('TransactWriteItems');

    for (let step = 1; step <= steps.length; step += 1) {
      const { user, issued, exchange } = await prepared(deps);
      faults.clear();
      faults.inject({ fault: 'connection-refused', call: step });
      await expect(exchange(), `step ${step} (${steps[step - 1]})`).rejects.toBeInstanceOf(DependencyUnavailableError);
      faults.clear();

      expect((await deps.authorizationCodes.find(issued.record.codeHash))?.used, `step ${step}`).toBe(false);
      expect(await deps.sessions.listFamilies(user.id), `step ${step}`).toEqual([]);

      const retried = await exchange();
      const families = await deps.sessions.listFamilies(user.id);
      expect(families).toHaveLength(1);
      expect(families[0]).toMatchObject({ revoked: false });
      expect(await deps.tokenChecker.check(retried.accessToken.token, deps.accessTokens.audience)).toBeTruthy();
    }
    deps.db.destroy();
  });

  it('an answer lost once is retried by the SDK: the client gets its tokens and the session stands', async () => {
    const { deps, faults } = faultyDeps();
    const { user, exchange } = await prepared(deps);
    faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', attempts: 1 });
    const grant = await exchange();
    // The transaction was applied and its answer lost once, then the SDK's retry was answered.
    expect(faults.failedAttempts).toBe(1);
    faults.clear();
    const families = await deps.sessions.listFamilies(user.id);
    expect(families.map((f) => f.revoked)).toEqual([false]);
    expect(await deps.tokenChecker.check(grant.accessToken.token, deps.accessTokens.audience)).toBeTruthy();
    deps.db.destroy();
  });
});
