// The token checker and an account whose deletion has begun (lib/auth/token-checker.ts,
// CheckOptions.deletedAccount): its access token is refused everywhere, except by the one call
// that passes `deletedAccount: 'allow'` (DELETE /me finishing the deletion); an API token of it
// never passes, and once the profile is gone nothing does.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../lib/domain/errors.ts';
import { createApiToken } from '../../lib/use-cases/api-tokens.ts';
import { newSecurityEvent } from '../../lib/use-cases/security-events.ts';
import { startSession } from '../../lib/use-cases/sessions.ts';
import { testDependencies } from '../support/deps.ts';
import { storedUser } from '../support/users.ts';

describe('the token of an account being deleted', () => {
  it('passes only with deletedAccount: allow, and only while the deleted profile is there', async () => {
    const setup = testDependencies();
    const user = await storedUser(setup, 'deltokchk');
    const { accessToken } = await startSession(user, setup);
    const { token: apiToken } = await createApiToken({ user, claims: { sub: user.id } as never, tokenType: 'access_token' }, { name: 'ci' }, setup);
    const event = newSecurityEvent(user.id, 'account_deleted', setup);
    expect(await setup.accountDeletions.begin({ user, pseudonym: randomUUID(), now: Date.now(), event })).toBe('started');

    // A checker with an empty cache, as another Lambda instance would have.
    const { tokenChecker, accessTokens } = testDependencies();
    await expect(tokenChecker.check(accessToken.token, accessTokens.audience)).rejects.toBeInstanceOf(InvalidTokenError);
    const allowed = await tokenChecker.check(accessToken.token, accessTokens.audience, { deletedAccount: 'allow' });
    expect(allowed.user).toMatchObject({ id: user.id, status: 'deleted' });
    await expect(tokenChecker.check(apiToken, accessTokens.audience, { deletedAccount: 'allow' })).rejects.toBeInstanceOf(InvalidTokenError);

    await setup.accountDeletions.removeProfile(user.id);
    const later = testDependencies();
    await expect(later.tokenChecker.check(accessToken.token, later.accessTokens.audience, { deletedAccount: 'allow' })).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });
});
