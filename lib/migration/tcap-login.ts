// Lazy migration from TCAP (../shared/seeds/000): POST {MIGRATE_FROM_URL}/token-auth/tcap/
// {username, password} answers {token, user: {id, username, first_name, last_name, email,
// organisation, permissions, job_title, email_verified}}: the whole profile, no second call.
import type { LegacyLogin, LegacyVerdict } from '../domain/legacy-login.ts';
import { firstBoolean, firstId, firstText, objectIn, permissionsIn, profileIn } from './legacy-answer.ts';
import { type LegacyHttpSettings, legacySession, unreadableAnswer } from './legacy-http.ts';

export function tcapLogin(settings: Omit<LegacyHttpSettings, 'dialect'>): LegacyLogin {
  return {
    async check(login, password): Promise<LegacyVerdict> {
      const call = legacySession({ ...settings, dialect: 'tcap' });
      const answer = await call({ method: 'POST', path: '/token-auth/tcap/', json: { username: login, password } });
      if (answer.kind === 'refused') return { kind: 'refused' };
      const body = objectIn(answer.body);
      const user = objectIn(body.user);
      if (!firstText(body.token) || Object.keys(user).length === 0) throw unreadableAnswer('tcap', 'token and user');
      const id = firstId(user.id);
      const permissions = permissionsIn(user.permissions);
      return {
        kind: 'accepted',
        account: {
          username: firstText(user.username) ?? login,
          email: firstText(user.email) ?? '',
          emailVerified: firstBoolean(user.email_verified) ?? false,
          // TCAP calls the organisation's name `organisation`.
          profile: profileIn(user, { organisation_name: user.organisation }),
          ...(id === undefined ? {} : { externalId: id }),
          ...(permissions?.length ? { permissions } : {}),
        },
      };
    },
  };
}
