// Lazy migration from EclecticIQ (../shared/seeds/001): POST {MIGRATE_FROM_URL}/api/auth
// {username, password} answers only {expires_at, token}, and EclecticIQ documents no "current
// user" call. What the account is comes from the JWT's claims where it carries them (username,
// email, email_verified, user_id or sub: this service's own tokens carry them all), else from the
// login itself: EclecticIQ users log in with their email address as username.
import type { LegacyLogin, LegacyVerdict } from '../domain/legacy-login.ts';
import { firstBoolean, firstId, firstText, jwtClaims, looksLikeEmail, objectIn, permissionsIn } from './legacy-answer.ts';
import { type LegacyHttpSettings, legacySession, unreadableAnswer } from './legacy-http.ts';

export function eclecticIqLogin(settings: Omit<LegacyHttpSettings, 'dialect'>): LegacyLogin {
  return {
    async check(login, password): Promise<LegacyVerdict> {
      const call = legacySession({ ...settings, dialect: 'eclecticiq' });
      const answer = await call({ method: 'POST', path: '/api/auth', json: { username: login, password } });
      if (answer.kind === 'refused') return { kind: 'refused' };
      const token = firstText(objectIn(answer.body).token);
      if (!token) throw unreadableAnswer('eclecticiq', 'token');
      const claims = jwtClaims(token);
      const id = firstId(claims.user_id, claims.sub);
      const permissions = permissionsIn(claims.permissions);
      return {
        kind: 'accepted',
        account: {
          username: firstText(claims.username, claims.preferred_username) ?? login,
          email: firstText(claims.email) ?? (looksLikeEmail(login) ? login : ''),
          // Nothing in EclecticIQ's answer says the address was ever confirmed.
          emailVerified: firstBoolean(claims.email_verified) ?? false,
          profile: {},
          ...(id === undefined ? {} : { externalId: id }),
          ...(permissions?.length ? { permissions } : {}),
        },
      };
    },
  };
}
