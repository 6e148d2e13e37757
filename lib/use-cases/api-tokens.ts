// Personal API tokens (as Opentact and EclecticIQ issue them, modelled on GitHub's): named, opaque
// bearer tokens with a lifetime, that act as their owner wherever an access token is accepted.
// Managing them needs a session (a login's access token), so a leaked API token cannot mint more.

import { type Principal, requireSessionToken } from '../auth/token-checker.ts';
import type { ApiTokenRecord } from '../domain/api-token.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { newApiToken } from '../tokens/api-token-format.ts';
import { sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';

type TokenDeps = Pick<Dependencies, 'apiTokens' | 'clock' | 'config'> & SecurityEventDeps;

const requireSession = (caller: Principal) => requireSessionToken(caller, 'Managing API tokens');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const notFound = () => new NotFoundError('No such API token.');

export async function createApiToken(
  caller: Principal,
  input: { name: string; ttl?: number | undefined },
  deps: TokenDeps,
): Promise<{ record: ApiTokenRecord; token: string }> {
  requireSession(caller);
  const now = deps.clock.now();
  const ttl = input.ttl ?? deps.config.apiTokens.defaultTtlSeconds;
  const { token, tokenId } = newApiToken(caller.user.id);
  const record: ApiTokenRecord = {
    id: tokenId,
    userId: caller.user.id,
    name: input.name.trim(),
    ttl,
    tokenHash: sha256(token),
    createdAt: now,
    modifiedAt: now,
    expiresAt: toEpochSeconds(now) + ttl,
  };
  const { maxPerUser } = deps.config.apiTokens;
  if ((await deps.apiTokens.create(record, { maxLive: maxPerUser, nowSeconds: toEpochSeconds(now) })) === 'limit-reached') {
    throw new ConflictError([], `You already have ${maxPerUser} API tokens, the most allowed; delete one first.`);
  }
  await recordSecurityEvent(caller.user.id, 'api_token_created', deps, { details: { token_id: tokenId } });
  return { record, token };
}

export async function listApiTokens(caller: Principal, deps: TokenDeps): Promise<ApiTokenRecord[]> {
  requireSession(caller);
  return deps.apiTokens.list(caller.user.id, toEpochSeconds(deps.clock.now()));
}

export async function getApiToken(caller: Principal, tokenId: string, deps: TokenDeps): Promise<ApiTokenRecord> {
  requireSession(caller);
  const record = UUID.test(tokenId) ? await deps.apiTokens.get(caller.user.id, tokenId) : undefined;
  if (!record || record.expiresAt <= toEpochSeconds(deps.clock.now())) throw notFound();
  return record;
}

export async function updateApiToken(
  caller: Principal,
  tokenId: string,
  input: { name?: string | undefined; ttl?: number | undefined },
  deps: TokenDeps,
): Promise<ApiTokenRecord> {
  requireSession(caller);
  if (input.name === undefined && input.ttl === undefined) {
    throw new ValidationError([{ field: '(body)', message: 'Send a new name, a new ttl, or both.' }]);
  }
  if (!UUID.test(tokenId)) throw notFound();
  const now = deps.clock.now();
  const updated = await deps.apiTokens.update(
    caller.user.id,
    tokenId,
    {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      // A new lifetime counts from now.
      ...(input.ttl !== undefined ? { ttl: input.ttl, expiresAt: toEpochSeconds(now) + input.ttl } : {}),
    },
    now,
  );
  if (!updated) throw notFound();
  return updated;
}

export async function deleteApiToken(caller: Principal, tokenId: string, deps: TokenDeps): Promise<void> {
  requireSession(caller);
  if (!UUID.test(tokenId) || !(await deps.apiTokens.delete(caller.user.id, tokenId))) throw notFound();
  await recordSecurityEvent(caller.user.id, 'api_token_deleted', deps, { details: { token_id: tokenId } });
}

export async function deleteAllApiTokens(caller: Principal, deps: TokenDeps): Promise<void> {
  requireSession(caller);
  await deps.apiTokens.deleteAll(caller.user.id);
  await recordSecurityEvent(caller.user.id, 'api_token_deleted', deps, { details: { scope: 'all' } });
}
