// A user as stored (the profile item) to the User the code works with. Its own file, free of the
// SDK, because the authorizer's light client reads users too (./token-reads.ts).
import type { User } from '../domain/user.ts';

export function userFromItem(item: Record<string, unknown>): User {
  const { pk: _pk, sk: _sk, type: _type, ...user } = item;
  return user as unknown as User;
}
