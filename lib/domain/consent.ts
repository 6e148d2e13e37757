// Consents: the scopes a user allowed a third-party client (OIDC Core §3.1.2.4), remembered so the
// consent page is shown once per scope set and again only when new scopes are asked for.
// Implemented by lib/store/consents.ts (in the user's partition).

export interface ConsentStore {
  /** The scopes the user has allowed the client so far (empty when none). */
  scopes(userId: string, clientId: string): Promise<string[]>;
  /** Adds `scopes` to what the user allowed the client; concurrent grants merge, none is lost. */
  grant(userId: string, clientId: string, scopes: readonly string[], now: number): Promise<void>;
  /** Every client the user has allowed something, with the scopes (the account's export). */
  list(userId: string): Promise<{ clientId: string; scopes: string[] }[]>;
}
