// The settings of access and service tokens, derived from the configuration in one place: the
// functions that issue tokens and the authorizer that checks them must agree on every one.
import type { Config } from '../config/all.ts';
import type { AccessTokenSettings } from '../tokens/access-tokens.ts';
import type { ServiceTokenSettings } from '../tokens/service-tokens.ts';

export function accessTokenSettings(config: Config): AccessTokenSettings {
  return {
    issuer: config.issuer,
    audience: config.accessTokenAudience,
    clientId: config.clientId,
    ttlSeconds: config.accessTokenTtlSeconds,
    clockLeewaySeconds: config.tokenClockLeewaySeconds,
  };
}

export function serviceTokenSettings(config: Config): ServiceTokenSettings {
  return { issuer: config.issuer, clientId: config.clientId, ttlSeconds: config.serviceTokenTtlSeconds, clockLeewaySeconds: config.tokenClockLeewaySeconds };
}
