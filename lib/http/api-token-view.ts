// How a personal API token appears on the wire (snake_case), without its secret.
import type { ApiTokenRecord } from '../domain/api-token.ts';
import { toIsoUtc } from '../support/clock.ts';

/** How a token appears on the wire; the secret only ever in the answer that created it. */
export function apiTokenView(record: ApiTokenRecord) {
  return {
    id: record.id,
    name: record.name,
    ttl: record.ttl,
    expires_at: toIsoUtc(record.expiresAt * 1000),
    created_at: toIsoUtc(record.createdAt),
    modified_at: toIsoUtc(record.modifiedAt),
    last_used_at: record.lastUsedAt === undefined ? null : toIsoUtc(record.lastUsedAt),
  };
}
