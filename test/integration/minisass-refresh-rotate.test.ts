// MINISASS_REFRESH=rotate: the miniSASS handler, loaded in this process with that setting and
// called with API Gateway events against DynamoDB Local. refresh/ and token/refresh/ then rotate as
// native /refresh does (answer {access, refresh}), and a spent token presented again after the
// grace period ends the session (simplejwt's code and text for it).
import { beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../support/deps.ts';
import { CHEAP_ARGON2, type Handler, keepProcessEnv, loadService, newAccount, send } from '../support/service-handlers.ts';

keepProcessEnv();

const base = '/authentication/api';

describe('MINISASS_REFRESH=rotate', () => {
  let miniSass: Handler;

  beforeAll(async () => {
    // No grace: a second use of a spent token is reuse at once.
    await loadService(stackEnv({ ...CHEAP_ARGON2, MINISASS_REFRESH: 'rotate', REFRESH_REUSE_GRACE_SECONDS: '0', IP_RATE_LIMIT_PER_MINUTE: '0' }));
    miniSass = (await import('../../functions/compat-minisass.ts')).handler as Handler;
  });

  it('rotates on both paths and treats a spent token as reuse', async () => {
    // Prepare
    const account = { ...newAccount(), organizationType: 'NGO', organizationName: 'test', country: 'South Africa' };
    expect((await send(miniSass, `${base}/register/`, { body: account })).status).toBe(201);
    const pair = await send(miniSass, `${base}/token/`, { body: { username: account.username, password: account.password } });
    expect(pair.status).toBe(200);

    // Act
    const first = await send(miniSass, `${base}/refresh/`, { body: { refresh: pair.body.refresh } });
    const second = await send(miniSass, `${base}/token/refresh/`, { body: { refresh: first.body.refresh } });
    const reused = await send(miniSass, `${base}/token/refresh/`, { body: { refresh: pair.body.refresh } });
    const afterReuse = await send(miniSass, `${base}/token/refresh/`, { body: { refresh: second.body.refresh } });

    // Assess
    for (const answer of [first, second]) {
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).sort()).toEqual(['access', 'refresh']);
    }
    expect(second.body.refresh).not.toBe(first.body.refresh);
    expect([reused.status, reused.body]).toEqual([401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }]);
    // The reuse ended the session: its newest token is refused too.
    expect(afterReuse.status).toBe(401);
    expect(afterReuse.body.code).toBe('token_not_valid');
  });
});
