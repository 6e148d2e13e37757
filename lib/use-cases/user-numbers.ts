// The integer id the Django dialects (TCAP, miniSASS) show as a user's `id`: every account gets one
// at registration; an account registered before ids existed gets one at its first need.
import type { User } from '../domain/user.ts';
import type { NumberedUser } from '../domain/user-number.ts';
import type { Dependencies } from './dependencies.ts';

/** The user with its integer id; costs nothing for a user that has one (all but old accounts, once). */
export async function numberedUser(user: User, deps: Pick<Dependencies, 'userNumbers'>): Promise<NumberedUser> {
  return Object.assign(user, { number: await deps.userNumbers.ensure(user) });
}
