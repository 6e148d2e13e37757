// Configuration of abuse limits: failed-login throttling per account (OWASP ASVS V6.3, NIST SP
// 800-63B section 5.2.2), device proofs, and the per-IP budget of the endpoints attackers hammer.
import { wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const abuseSection = defineSection({
  name: 'abuse',
  variables: {
    maxFailures: variable('LOGIN_MAX_FAILURES', {
      kind: wholeNumber(1, 1_000),
      fallback: 5,
      description: 'failed logins in a streak before an account has to wait (429)',
    }),
    windowSeconds: variable('LOGIN_FAILURE_WINDOW', {
      kind: wholeNumber(60, 86_400),
      fallback: 900,
      description: 'seconds after a failure (and after its wait) within which the next failure continues the streak',
    }),
    maxWaitSeconds: variable('LOGIN_MAX_WAIT', {
      kind: wholeNumber(1, 86_400),
      fallback: 900,
      description: 'the longest wait, seconds; it starts at 60 and doubles with each further failure',
    }),
    ipRateLimitPerMinute: variable('IP_RATE_LIMIT_PER_MINUTE', {
      kind: wholeNumber(0, 1_000_000),
      fallback: 100,
      description:
        'requests per source address (an IPv4-mapped or NAT64 address counts as its IPv4 address, IPv6 per /64) and minute to each budget: one shared by every route that checks a password (login, service token by password, every compatibility login), and one each for register, forgot-password, service token by bearer token and verification resend; `0` turns it off',
    }),
    dailyMaxFailures: variable('LOGIN_DAILY_MAX_FAILURES', {
      kind: wholeNumber(2, 1_000_000),
      fallback: 100,
      description:
        'failed logins an account admits in any 24 hours (a rolling bound) from all clients together (NIST SP 800-63B 5.2.2), then everyone waits; counted as half per login name (username, email), each of which admits at most half in any 24 hours',
    }),
    deviceProofTtlSeconds: variable('DEVICE_PROOF_TTL', {
      kind: wholeNumber(3_600, 31_536_000),
      fallback: 15_552_000,
      description: 'lifetime of a device proof (the `Device-Proof` header and cookie a successful login returns), seconds; 180 days by default',
    }),
  },
  shape: ({ ipRateLimitPerMinute, ...loginThrottle }) => ({ loginThrottle, ipRateLimitPerMinute }),
});

export type AbuseConfig = ReturnType<typeof abuseSection.read>;
export const ABUSE_VARIABLES = abuseSection.variableNames;

/** Login throttling and the per-IP budget, read once per environment. */
export const abuseConfig = (env: Env = process.env): AbuseConfig => abuseSection.read(env);
