// Lazy migration from a Django REST Framework + simplejwt service (miniSASS, ../shared/seeds/003):
// POST {MIGRATE_FROM_URL}/authentication/api/login/ {email, password} (the login view miniSASS's
// frontend uses; it finds accounts by email), or, for a login that is not an address,
// POST /authentication/api/token/ {username, password} (simplejwt's TokenObtainPairView). Neither
// answer carries the profile, so GET /authentication/api/check-auth-status/ with the access token
// follows; simplejwt refuses an inactive account there (401), which makes it "refused" here too.
import type { LegacyAccount, LegacyLogin, LegacyVerdict } from '../domain/legacy-login.ts';
import { firstBoolean, firstId, firstText, jwtClaims, looksLikeEmail, objectIn, profileIn } from './legacy-answer.ts';
import { type LegacyHttpSettings, legacySession, unreadableAnswer } from './legacy-http.ts';

const BASE = '/authentication/api';
/** The permission our miniSASS routes show as is_admin (lib/routes/compat/minisass-handlers.ts). */
const ADMIN_PERMISSION = 'admin';

export function simplejwtLogin(settings: Omit<LegacyHttpSettings, 'dialect'>): LegacyLogin {
  return {
    async check(login, password): Promise<LegacyVerdict> {
      const call = legacySession({ ...settings, dialect: 'simplejwt' });
      const byEmail = looksLikeEmail(login);
      const first = byEmail
        ? await call({ method: 'POST', path: `${BASE}/login/`, json: { email: login, password } })
        : await call({ method: 'POST', path: `${BASE}/token/`, json: { username: login, password } });
      if (first.kind === 'refused') return { kind: 'refused' };
      const answer = objectIn(first.body);
      const access = firstText(answer.access_token, answer.access);
      if (!access) throw unreadableAnswer('simplejwt', 'access token');
      const status = await call({ method: 'GET', path: `${BASE}/check-auth-status/`, headers: { authorization: `Bearer ${access}` } });
      if (status.kind === 'refused') return { kind: 'refused' };
      const me = objectIn(status.body);
      // This service's own miniSASS routes answer with a `user` too (its profile and integer id).
      const user = objectIn(answer.user);
      const claims = jwtClaims(access);
      const isAdmin = firstBoolean(me.is_admin, answer.is_admin) === true;
      const account: LegacyAccount = {
        username: firstText(me.username, answer.username, user.username, claims.username) ?? login,
        email: firstText(me.email, answer.email, user.email, claims.email) ?? (byEmail ? login : ''),
        // check-auth-status answered: the Django account is active, which it becomes by its activation link.
        emailVerified: firstBoolean(me.email_verified, user.email_verified) ?? true,
        profile: profileIn(me, user),
        ...optionalId(firstId(me.id, user.id, claims.user_id)),
        ...(isAdmin ? { permissions: [ADMIN_PERMISSION] } : {}),
      };
      return { kind: 'accepted', account };
    },
  };
}

const optionalId = (id: string | undefined) => (id === undefined ? {} : { externalId: id });
