// How a second factor appears on the wire (GET /mfa): metadata only, never a secret.
import type { FactorSummary } from '../domain/mfa.ts';
import { toIsoUtc } from '../support/clock.ts';

export function mfaFactorView(factor: FactorSummary) {
  return {
    type: factor.type,
    id: factor.id,
    name: factor.name,
    created_at: toIsoUtc(factor.createdAt),
    last_used_at: factor.lastUsedAt === undefined ? null : toIsoUtc(factor.lastUsedAt),
    ...(factor.remaining === undefined ? {} : { remaining: factor.remaining }),
  };
}
