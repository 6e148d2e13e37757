// What the load run's clients were told by the API: the record that the lost-write check compares
// the table with. Only answers a client actually received count. When an answer never came (a
// timeout or a dropped connection), the part it concerns is marked uncertain rather than guessed,
// and the check says how much it could not judge.

/** One login session as the client saw it: the refresh tokens it was handed, in order. */
export interface RefreshChain {
  /** Every refresh token received for this session, oldest first; the last is the one the client holds. */
  tokens: string[];
  /** Why the session's state is not known exactly (a refresh whose answer never came); not checked then. */
  uncertain?: string;
}

/** A personal API token the API answered 201 for. */
export interface ApiTokenSeen {
  id: string;
  /** A DELETE of it was answered 204. */
  deleted: boolean;
  /** Why its state is not known exactly (a DELETE whose answer never came); not checked then. */
  uncertain?: string;
}

/** One user of the load run, with everything the API told its connection. */
export interface LoadUser {
  username: string;
  email: string;
  password: string;
  /** The id /register answered with. */
  userId: string;
  /** Its login sessions, oldest first; the last is the current one. */
  chains: RefreshChain[];
  apiTokens: ApiTokenSeen[];
}

/** The newest session whose state is known, i.e. whose last refresh token must still work. */
export function currentChain(user: LoadUser): RefreshChain | undefined {
  return [...user.chains].reverse().find((chain) => !chain.uncertain && chain.tokens.length > 0);
}
