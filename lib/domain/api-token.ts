// Personal API tokens as the application knows them (only the token's SHA-256 is kept), and the
// port the API-token use cases and the token checker reach them through (lib/store/api-tokens.ts).
import type { User } from './user.ts';

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  /** The lifetime asked for, seconds. */
  ttl: number;
  tokenHash: string;
  /** Epoch milliseconds. */
  createdAt: number;
  modifiedAt: number;
  lastUsedAt?: number;
  /** Epoch seconds (the TTL attribute). */
  expiresAt: number;
}

export type CreateOutcome = 'created' | 'limit-reached';

/** What authenticating with an API token needs; the Lambda authorizer has only this part. */
export interface ApiTokenReads {
  /** The token's record and its owner, in one consistent read (for authentication). */
  lookupWithOwner(userId: string, tokenId: string): Promise<{ record?: ApiTokenRecord; user?: User }>;
  /** Records a use, unless one was recorded less than `minIntervalMs` ago (spares writes). */
  touch(userId: string, tokenId: string, now: number, minIntervalMs: number): Promise<void>;
}

export interface ApiTokenStore extends ApiTokenReads {
  /** Stores a token unless the owner already has `maxLive` live tokens. */
  create(record: ApiTokenRecord, limits: { maxLive: number; nowSeconds: number }): Promise<CreateOutcome>;
  /** One of the owner's tokens (live or not), or undefined. */
  get(userId: string, tokenId: string): Promise<ApiTokenRecord | undefined>;
  /** The owner's live tokens, newest first. */
  list(userId: string, nowSeconds: number): Promise<ApiTokenRecord[]>;
  /** Renames and/or renews a live token; undefined when the owner has no such live token. */
  update(userId: string, tokenId: string, changes: { name?: string; ttl?: number; expiresAt?: number }, now: number): Promise<ApiTokenRecord | undefined>;
  /** False when the owner has no such token. */
  delete(userId: string, tokenId: string): Promise<boolean>;
  /** Deletes every token of the owner; returns how many. */
  deleteAll(userId: string): Promise<number>;
}

/** The shortest lifetime an API token may have, seconds (Opentact's documented minimum). */
export const MIN_API_TOKEN_TTL = 60;
