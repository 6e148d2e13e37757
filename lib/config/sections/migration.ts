// Configuration of lazy migration (docs/migration.md): the legacy system a login asks when the account
// does not exist here yet, in which dialect, until when, and how long it may take.
import { LEGACY_DIALECTS, type LegacyDialect } from '../../domain/legacy-login.ts';
import { absoluteUrl, instant, oneOf, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const migrationSection = defineSection({
  name: 'migration',
  variables: {
    fromUrl: variable('MIGRATE_FROM_URL', {
      kind: absoluteUrl(),
      fallback: undefined as string | undefined,
      defaultText: 'none (lazy migration off)',
      description:
        "the legacy system's base URL (e.g. `https://old.example.com`; `http://` only to localhost): a login for an account that does not exist here (or was imported without a usable hash) checks the password at its login endpoint and, when right, creates the account here",
    }),
    fromDialect: variable('MIGRATE_FROM_DIALECT', {
      kind: oneOf(LEGACY_DIALECTS),
      fallback: undefined as LegacyDialect | undefined,
      defaultText: 'none; required with `MIGRATE_FROM_URL`',
      description: "which API the legacy system speaks: Django REST Framework + simplejwt (miniSASS's `login/`), TCAP, EclecticIQ or Opentact",
    }),
    untilMs: variable('MIGRATE_UNTIL', {
      kind: instant(),
      fallback: undefined as number | undefined,
      defaultText: 'none (no end)',
      description: 'when lazy migration ends: from then on a login never asks the legacy system (users not migrated by then reset their password)',
    }),
    timeoutMs: variable('MIGRATE_TIMEOUT_MS', {
      kind: wholeNumber(100, 20_000),
      fallback: 4000,
      description: 'how long one login waits for the legacy system, in ms (every call together, its profile call included); past it the login answers 503',
    }),
    failedLoginMinMs: variable('MIGRATE_FAILED_LOGIN_MIN_MS', {
      kind: wholeNumber(0, 20_000),
      fallback: 1500,
      description:
        "while lazy migration is on, a failed login answers no sooner than this (ms), so a wrong password here, one the legacy system refused and an unknown account take the same time; size it above the legacy login's usual latency",
    }),
  },
  check: (values, report, failed) => {
    // The legacy login carries passwords: over plain HTTP only to this machine (a local legacy system, tests).
    if (values.fromUrl !== undefined && !sendsPasswordsSafely(values.fromUrl)) {
      report('fromUrl', 'must be an https:// URL (plain http:// only to localhost): lazy migration sends passwords to it');
    }
    if (values.fromUrl !== undefined && values.fromDialect === undefined && !failed.has('fromDialect')) {
      report('fromDialect', 'is required when MIGRATE_FROM_URL is set');
    }
    if (values.fromDialect !== undefined && values.fromUrl === undefined && !failed.has('fromUrl')) {
      report('fromUrl', 'is required when MIGRATE_FROM_DIALECT is set');
    }
  },
  shape: (values) => values,
});

/** https, or http to a loopback host (localhost, 127.0.0.0/8, ::1). */
function sendsPasswordsSafely(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:') return true;
  return protocol === 'http:' && (hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname));
}

export type MigrationConfig = ReturnType<typeof migrationSection.read>;
export const MIGRATION_VARIABLES = migrationSection.variableNames;

/** The lazy-migration settings, read once per environment. */
export const migrationConfig = (env: Env = process.env): MigrationConfig => migrationSection.read(env);
