// Lazy migration from Opentact (../shared/seeds/002): GET {MIGRATE_FROM_URL}/rest/auth with
// `Authorization: Basic base64(email:password)` answers {success: true, payload: {uuid, email,
// first_name, last_name, token, ...}}. Opentact has no usernames: the account's username here is
// the username claim of the JWT it returns when there is one (this service's own tokens), else the
// email address (our usernames allow "@", ".", "+", "-" and "_").
import type { LegacyLogin, LegacyVerdict } from '../domain/legacy-login.ts';
import { firstBoolean, firstId, firstText, jwtClaims, objectIn, profileIn } from './legacy-answer.ts';
import { type LegacyHttpSettings, legacySession, unreadableAnswer } from './legacy-http.ts';

export function opentactLogin(settings: Omit<LegacyHttpSettings, 'dialect'>): LegacyLogin {
  return {
    async check(login, password): Promise<LegacyVerdict> {
      const call = legacySession({ ...settings, dialect: 'opentact' });
      const basic = Buffer.from(`${login}:${password}`, 'utf8').toString('base64');
      const answer = await call({ method: 'GET', path: '/rest/auth', headers: { authorization: `Basic ${basic}` } });
      if (answer.kind === 'refused') return { kind: 'refused' };
      const body = objectIn(answer.body);
      // Its envelope says failure in the body too.
      if (body.success === false) return { kind: 'refused' };
      const payload = objectIn(body.payload);
      if (body.success !== true || !firstText(payload.email)) throw unreadableAnswer('opentact', 'payload with an email');
      const claims = jwtClaims(firstText(payload.token));
      const email = firstText(payload.email) as string;
      const id = firstId(payload.uuid, claims.sub);
      return {
        kind: 'accepted',
        account: {
          username: firstText(claims.username) ?? email,
          email,
          emailVerified: firstBoolean(payload.email_verified, claims.email_verified) ?? false,
          profile: profileIn(payload),
          ...(id === undefined ? {} : { externalId: id }),
        },
      };
    },
  };
}
