// Downstream services users can get short-lived service tokens for (TCAP's "requested_service").

/** A downstream service: the token audience, the name clients use, and who may ask for it. */
export interface Service {
  /** The token audience (`aud`), e.g. "hash-verification". */
  id: string;
  /** The name clients send and see, e.g. "Hash Verification". */
  name: string;
  /** The permission a user needs for this service; absent means every active user. */
  permission?: string;
}

/** The local default: TCAP's one documented service, open to every active user. */
export const DEFAULT_SERVICES: Service[] = [{ id: 'hash-verification', name: 'Hash Verification' }];

/** What a service id may look like: it becomes a token `aud` and appears in URLs and logs. */
export const SERVICE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
