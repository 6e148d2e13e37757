// The LegacyLogin of the configured dialect (MIGRATE_FROM_DIALECT) at MIGRATE_FROM_URL; undefined
// when lazy migration is off. lib/wiring/dependencies.ts builds it once per instance.
import type { MigrationConfig } from '../config/sections/migration.ts';
import type { LegacyDialect, LegacyLogin } from '../domain/legacy-login.ts';
import { eclecticIqLogin } from './eclecticiq-login.ts';
import type { LegacyHttpSettings } from './legacy-http.ts';
import { opentactLogin } from './opentact-login.ts';
import { simplejwtLogin } from './simplejwt-login.ts';
import { tcapLogin } from './tcap-login.ts';

const CLIENTS: Record<LegacyDialect, (settings: Omit<LegacyHttpSettings, 'dialect'>) => LegacyLogin> = {
  simplejwt: simplejwtLogin,
  tcap: tcapLogin,
  eclecticiq: eclecticIqLogin,
  opentact: opentactLogin,
};

/** The legacy system's login client, or undefined when MIGRATE_FROM_URL is not set. */
export function legacyLoginClient(config: MigrationConfig, fetcher?: typeof fetch): LegacyLogin | undefined {
  if (config.fromUrl === undefined || config.fromDialect === undefined) return undefined;
  return CLIENTS[config.fromDialect]({ baseUrl: config.fromUrl, timeoutMs: config.timeoutMs, ...(fetcher ? { fetch: fetcher } : {}) });
}
