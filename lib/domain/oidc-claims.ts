// The user claims an OpenID Connect client may see, by the scopes it was granted (OIDC Core §5.4):
// `profile` gives the name claims, `email` the address and whether it is verified. One rule for the
// ID token (§3.1.3.6 / §5.4) and /oauth/userinfo (§5.3.2), so the two never disagree.
import type { User } from './user.ts';

export type UserInfoClaims = Record<string, string | boolean | number>;

/** OIDC Core §5.1: seconds since the epoch of the last profile change, when the record says. */
function updatedAt(user: User): number | undefined {
  const ms = Date.parse(user.updatedAt);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** The standard claims (OIDC Core §5.1) `scopes` release about `user`; `sub` is always the caller's to add. */
export function scopedUserClaims(user: User, scopes: readonly string[]): UserInfoClaims {
  const claims: UserInfoClaims = {};
  if (scopes.includes('profile')) {
    claims.preferred_username = user.username;
    const given = user.profile.first_name?.trim();
    const family = user.profile.last_name?.trim();
    if (given) claims.given_name = given;
    if (family) claims.family_name = family;
    // §5.1 `name`: the full name in displayable form; only from what the user gave us.
    const name = [given, family].filter(Boolean).join(' ');
    if (name) claims.name = name;
    const updated = updatedAt(user);
    if (updated !== undefined) claims.updated_at = updated;
  }
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}
