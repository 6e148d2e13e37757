// An API token as stored to its record. Its own file, free of the SDK, because the authorizer's
// light client reads API tokens too (./token-reads.ts).
import type { ApiTokenRecord } from '../domain/api-token.ts';

export function apiTokenFromItem(item: Record<string, unknown>): ApiTokenRecord {
  return {
    id: item.id as string,
    userId: item.userId as string,
    name: item.name as string,
    ttl: item.ttl as number,
    tokenHash: item.tokenHash as string,
    createdAt: item.createdAt as number,
    modifiedAt: item.modifiedAt as number,
    ...(typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {}),
    expiresAt: item.expiresAt as number,
  };
}
