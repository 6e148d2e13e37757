// The request mix of one connection: a loop of /me, refresh, API-token calls and a fresh login,
// played by one user over one keep-alive connection, one request at a time. Sequential on purpose:
// a refresh spends the refresh token it presents, so the next refresh must carry the token this
// one returned; two refreshes of one session in parallel would be a reuse and end the session.
// Every answer updates the connection's state and the ledger (what the client was told).
import { currentChain, type LoadUser } from './ledger.ts';

export type Kind = 'login' | 'refresh' | 'me' | 'me (API token)' | 'token create' | 'token list' | 'token delete';

/** The one status each kind should get; anything else counts as unexpected. */
export const EXPECTED_STATUS: Record<Kind, number> = {
  login: 200,
  refresh: 200,
  me: 200,
  'me (API token)': 200,
  'token create': 201,
  'token list': 200,
  'token delete': 204,
};

export const KINDS = Object.keys(EXPECTED_STATUS) as Kind[];

/**
 * One turn of a connection's loop. Per turn: 4 × /me with the access token, 2 refreshes, 1 login,
 * and one of each API-token call: create one, list them, use the newest with /me, delete the
 * oldest; so each user keeps one or two live tokens and the API-token limit is never in play.
 */
export const LOOP: readonly Kind[] = ['me', 'refresh', 'me', 'token create', 'token list', 'me (API token)', 'token delete', 'refresh', 'me', 'login'];

/** A connection: its user, what it holds now, and the request on the wire. */
export interface ConnectionState {
  user: LoadUser;
  accessToken: string;
  /** Secrets of the user's live API tokens, oldest first. */
  liveApiTokens: { id: string; token: string }[];
  /** The request written and not answered yet. */
  inFlight?: { kind: Kind; apiTokenId?: string };
  /** The kind of the last answered request (read by the latency recorder right after the answer). */
  lastAnswered?: Kind;
  /** The last refresh or login was refused: log in again before anything else. */
  needsLogin: boolean;
  /** Consistency problems the client saw itself (a created token missing from the list that follows). */
  problems: string[];
  /** Counter for API-token names. */
  created: number;
}

/** What to write next: method, path, headers, body. */
export interface PlannedRequest {
  kind: Kind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  apiTokenId?: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const jsonBody = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

/** The state of a connection whose user has just logged in (set-up) with the given tokens. */
export function connectionState(user: LoadUser, accessToken: string, liveApiTokens: { id: string; token: string }[]): ConnectionState {
  return { user, accessToken, liveApiTokens, needsLogin: false, problems: [], created: 0 };
}

function plainRequest(kind: Kind, state: ConnectionState): PlannedRequest {
  const { user } = state;
  switch (kind) {
    case 'login': {
      const { headers, body } = jsonBody({ username: user.username, password: user.password });
      return { kind, method: 'POST', path: '/login', headers, body };
    }
    case 'refresh': {
      const chain = currentChain(user)!;
      const { headers, body } = jsonBody({ refresh_token: chain.tokens[chain.tokens.length - 1] });
      return { kind, method: 'POST', path: '/refresh', headers, body };
    }
    case 'me':
      return { kind, method: 'GET', path: '/me', headers: bearer(state.accessToken) };
    case 'me (API token)':
      return { kind, method: 'GET', path: '/me', headers: bearer(state.liveApiTokens[state.liveApiTokens.length - 1]!.token) };
    case 'token create': {
      state.created += 1;
      const { headers, body } = jsonBody({ name: `load ${state.created}`, ttl: 3600 });
      return { kind, method: 'POST', path: '/tokens', headers: { ...headers, ...bearer(state.accessToken) }, body };
    }
    case 'token list':
      return { kind, method: 'GET', path: '/tokens', headers: bearer(state.accessToken) };
    case 'token delete': {
      const oldest = state.liveApiTokens[0]!;
      return { kind, method: 'DELETE', path: `/tokens/${oldest.id}`, headers: bearer(state.accessToken), apiTokenId: oldest.id };
    }
  }
}

/**
 * The request to send for the loop's `kind`. After an earlier failure a step may lack what it
 * needs; it then becomes the nearest sensible request (a login when the session is gone, a /me
 * when there is no API token to use or spare), so one failure does not cascade into many.
 */
export function planRequest(kind: Kind, state: ConnectionState): PlannedRequest {
  if (state.inFlight) abandon(state);
  let actual = kind;
  if (state.needsLogin || !currentChain(state.user)) actual = 'login';
  else if (kind === 'me (API token)' && state.liveApiTokens.length === 0) actual = 'me';
  else if (kind === 'token delete' && state.liveApiTokens.length < 2) actual = 'me';
  const planned = plainRequest(actual, state);
  state.inFlight = { kind: actual, ...(planned.apiTokenId ? { apiTokenId: planned.apiTokenId } : {}) };
  return planned;
}

/** The request in flight got no answer (a timeout or a dropped connection): its effect is unknown. */
function abandon(state: ConnectionState): void {
  const { kind, apiTokenId } = state.inFlight!;
  state.inFlight = undefined;
  if (kind === 'refresh') uncertainSession(state, 'a refresh got no answer');
  if (kind === 'token delete') uncertainApiToken(state, apiTokenId!, 'its DELETE got no answer');
  // A login or create without an answer may have written a session or token the client never saw:
  // nothing the check compares depends on it.
}

function uncertainSession(state: ConnectionState, reason: string): void {
  const chain = currentChain(state.user);
  if (chain) chain.uncertain = reason;
  state.needsLogin = true;
}

function uncertainApiToken(state: ConnectionState, id: string, reason: string): void {
  const seen = state.user.apiTokens.find((token) => token.id === id);
  if (seen) seen.uncertain = reason;
  state.liveApiTokens = state.liveApiTokens.filter((token) => token.id !== id);
}

function parse(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Takes in the answer to the request in flight. */
export function takeAnswer(state: ConnectionState, status: number, body: string): void {
  const inFlight = state.inFlight;
  state.inFlight = undefined;
  if (!inFlight) return;
  state.lastAnswered = inFlight.kind;
  const ok = status === EXPECTED_STATUS[inFlight.kind];
  const data = ok ? parse(body) : undefined;
  switch (inFlight.kind) {
    case 'login':
      if (ok && data?.refresh_token && data?.access_token) {
        state.user.chains.push({ tokens: [data.refresh_token] });
        state.accessToken = data.access_token;
        state.needsLogin = false;
      }
      break;
    case 'refresh':
      if (ok && data?.refresh_token && data?.access_token) {
        currentChain(state.user)!.tokens.push(data.refresh_token);
        state.accessToken = data.access_token;
      } else if (status >= 500) {
        // A failed rotation is all or nothing, but the client cannot tell which one happened.
        uncertainSession(state, `a refresh got ${status}`);
      } else {
        // Refused: the session is over for this client; the check will show whether the table agrees.
        state.needsLogin = true;
      }
      break;
    case 'token create':
      if (ok && data?.id && data?.token) {
        state.user.apiTokens.push({ id: data.id, deleted: false });
        state.liveApiTokens.push({ id: data.id, token: data.token });
      }
      break;
    case 'token list':
      if (ok) {
        const listed = new Set<string>((data?.tokens ?? []).map((token: { id: string }) => token.id));
        for (const live of state.liveApiTokens) {
          if (!listed.has(live.id))
            state.problems.push(`user ${state.user.username}: API token ${live.id} (created, 201) is missing from the list that followed`);
        }
      }
      break;
    case 'token delete':
      if (ok) {
        const seen = state.user.apiTokens.find((token) => token.id === inFlight.apiTokenId);
        if (seen) seen.deleted = true;
        state.liveApiTokens = state.liveApiTokens.filter((token) => token.id !== inFlight.apiTokenId);
      } else if (status >= 500) {
        uncertainApiToken(state, inFlight.apiTokenId!, `its DELETE got ${status}`);
      }
      break;
    case 'me':
    case 'me (API token)':
      break;
  }
}

/** Whatever is still in flight when the run ends is abandoned. */
export function settle(state: ConnectionState): void {
  if (state.inFlight) abandon(state);
}
