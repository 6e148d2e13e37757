// What an operator sees of one account: its status and permissions, its login sessions (refresh
// families) and its personal API tokens, each with whether it still works. Never a secret or hash.

import { endedByValidAfter, type Family } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds, toIsoUtc } from '../support/clock.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { findUser } from './find-user.ts';

/**
 * `ended`: started before the account's "valid after" time (log out everywhere, password reset,
 * disabling); `account disabled`: would work, but the account is disabled.
 */
export type SessionState = 'active' | 'revoked' | 'expired' | 'ended' | 'account disabled';
export type ApiTokenState = 'active' | 'ended' | 'account disabled';

export interface SessionView {
  id: string;
  state: SessionState;
  revokedReason?: string;
  createdAt: string;
  lastRefreshedAt?: string;
  revokedAt?: string;
  expiresAt: string;
}

export interface ApiTokenView {
  id: string;
  name: string;
  state: ApiTokenState;
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
}

export interface UserOverview {
  user: {
    id: string;
    username: string;
    email: string;
    emailVerified: boolean;
    status: User['status'];
    permissions: string[];
    createdAt: string;
    /** The id it had in the system it was migrated from (docs/migration.md). */
    externalId?: string;
  };
  sessions: SessionView[];
  /** Unexpired tokens, newest first. */
  apiTokens: ApiTokenView[];
}

export async function userOverview(reference: string, deps: Pick<Dependencies, 'users' | 'sessions' | 'apiTokens' | 'clock'>): Promise<UserOverview> {
  const user = await findUser(reference, deps);
  const now = deps.clock.now();
  const [families, tokens] = await Promise.all([deps.sessions.listFamilies(user.id), deps.apiTokens.list(user.id, toEpochSeconds(now))]);
  return {
    user: {
      id: user.id,
      username: user.username,
      email: user.email,
      emailVerified: user.emailVerified,
      status: user.status,
      permissions: user.permissions ?? [],
      createdAt: user.createdAt,
      ...(user.externalId === undefined ? {} : { externalId: user.externalId }),
    },
    sessions: families.map((family) => ({
      id: family.familyId,
      state: sessionState(family, user, now),
      ...(family.revokedReason ? { revokedReason: family.revokedReason } : {}),
      createdAt: toIsoUtc(family.createdAt),
      ...(family.lastRefreshedAt !== undefined ? { lastRefreshedAt: toIsoUtc(family.lastRefreshedAt) } : {}),
      ...(family.revokedAt !== undefined ? { revokedAt: toIsoUtc(family.revokedAt) } : {}),
      expiresAt: toIsoUtc(family.expiresAt * 1000),
    })),
    apiTokens: tokens.map((token) => ({
      id: token.id,
      name: token.name,
      state: ended(token.createdAt, user.apiTokensValidAfterMs) ? 'ended' : user.status !== 'active' ? 'account disabled' : 'active',
      createdAt: toIsoUtc(token.createdAt),
      expiresAt: toIsoUtc(token.expiresAt * 1000),
      ...(token.lastUsedAt !== undefined ? { lastUsedAt: toIsoUtc(token.lastUsedAt) } : {}),
    })),
  };
}

/** The same rules the refresh use case applies, in the same order. */
function sessionState(family: Family, user: User, now: number): SessionState {
  if (family.revoked) return 'revoked';
  if (family.expiresAt <= toEpochSeconds(now)) return 'expired';
  if (endedByValidAfter(family.createdAt, family.familyId, user)) return 'ended';
  return user.status === 'active' ? 'active' : 'account disabled';
}

const ended = (createdAt: number, validAfterMs: number | undefined) => validAfterMs !== undefined && createdAt < validAfterMs;
