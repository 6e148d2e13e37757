// Configuration of sessions: how long a refresh token lives, and how long a just-used one may be
// presented again (a client retrying after a lost answer, browser tabs refreshing at once) before
// reuse counts as theft. 30 s by default, as Okta's default leeway: enough for concurrent tabs and
// a prompt retry, and cheap, because a replay spends the earlier successor (one live refresh token
// per session, SECURITY.md) instead of forking the session.
import { wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const sessionsSection = defineSection({
  name: 'sessions',
  variables: {
    refreshTokenTtlSeconds: variable('REFRESH_TOKEN_TTL', {
      kind: wholeNumber(300, 365 * 86_400),
      fallback: 14 * 86_400,
      description: 'refresh-token lifetime, seconds (14 days by default); each rotation starts a new one',
    }),
    refreshReuseGraceSeconds: variable('REFRESH_REUSE_GRACE_SECONDS', {
      kind: wholeNumber(0, 300),
      fallback: 30,
      description:
        'how long after its use a refresh token may be exchanged again (a lost answer, tabs refreshing at once), seconds; the replay spends the token issued before, so a session keeps one live refresh token; 0 = strict single use',
    }),
  },
  shape: (values) => values,
});

export type SessionsConfig = ReturnType<typeof sessionsSection.read>;
export const SESSIONS_VARIABLES = sessionsSection.variableNames;

/** Refresh-token lifetime and reuse grace, read once per environment. */
export const sessionsConfig = (env: Env = process.env): SessionsConfig => sessionsSection.read(env);
