// Configuration of security events (lib/domain/security-event.ts): how long the table keeps them.
import { wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const eventsSection = defineSection({
  name: 'events',
  variables: {
    retentionDays: variable('SECURITY_EVENT_RETENTION_DAYS', {
      kind: wholeNumber(1, 3650),
      fallback: 400,
      description:
        "how many days each security event (GET /me/events, `admin events`) is kept before DynamoDB's TTL removes it; also the pseudonymised events an account deletion keeps",
    }),
  },
  shape: (values) => values,
});

export type EventsConfig = ReturnType<typeof eventsSection.read>;
export const EVENTS_VARIABLES = eventsSection.variableNames;

/** The security-event settings, read once per environment. */
export const eventsConfig = (env: Env = process.env): EventsConfig => eventsSection.read(env);
