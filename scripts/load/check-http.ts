// The checks after the run that go through the API: the refresh token each user's client holds last
// must still work (one more refresh succeeds), and every user can still log in. Run after the
// table check, because the refresh here rotates the token that check compares.
import { call, describeReply, inBatches } from './http.ts';
import { currentChain, type LoadUser } from './ledger.ts';

const CONCURRENCY = 8;

export interface HttpCheck {
  problems: string[];
  refreshed: number;
  loggedIn: number;
  /** Users whose every session was uncertain, so no refresh token could be tried. */
  skipped: number;
}

export async function checkOverHttp(apiUrl: string, users: readonly LoadUser[]): Promise<HttpCheck> {
  const result: HttpCheck = { problems: [], refreshed: 0, loggedIn: 0, skipped: 0 };
  await inBatches(users, CONCURRENCY, async (user) => {
    const chain = currentChain(user);
    if (!chain) {
      result.skipped += 1;
    } else {
      const reply = await call(apiUrl, 'POST', '/refresh', { json: { refresh_token: chain.tokens[chain.tokens.length - 1] } });
      if (reply.status === 200 && reply.body?.refresh_token) {
        result.refreshed += 1;
        chain.tokens.push(reply.body.refresh_token);
      } else {
        result.problems.push(`user ${user.username}: the last refresh token its client received was refused: ${describeReply(reply)}`);
      }
    }
    const login = await call(apiUrl, 'POST', '/login', { json: { username: user.username, password: user.password } });
    if (login.status === 200 && login.body?.refresh_token) {
      result.loggedIn += 1;
      user.chains.push({ tokens: [login.body.refresh_token] });
    } else {
      result.problems.push(`user ${user.username} can no longer log in: ${describeReply(login)}`);
    }
  });
  return result;
}
