// A request budget per source address for the endpoints that cost us most or leak most when
// hammered (login, register, forgot-password, service-token, verification mail): IP_RATE_LIMIT_PER_MINUTE
// requests per address, action and clock minute, then 429 until the minute is over. It is a second
// line behind the per-account login throttle, set much higher so that an office behind one NAT
// address is not troubled; API Gateway's stage throttling (serverless.yml) caps the total.
import { isIPv6 } from 'node:net';
import type { Dependencies } from '../app.ts';
import { TooManyRequestsError } from '../domain/errors.ts';
import type { Guard } from '../http/types.ts';

export type BudgetedAction = 'login' | 'register' | 'password-forgot' | 'service-token' | 'email-resend';

/**
 * The address a budget is kept for. IPv6 users usually hold a whole /64 (SLAAC, privacy addresses),
 * so one budget covers the /64, as a per-address budget would be no limit at all.
 */
export function budgetAddress(sourceIp: string): string {
  if (!isIPv6(sourceIp)) return sourceIp;
  const [head = '', tail = ''] = sourceIp.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) only occurs in the last 32 bits, outside the /64.
  const missing = sourceIp.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The guard that spends one unit of `action`'s budget for the caller's address. */
export function ipBudget(action: BudgetedAction, deps: Pick<Dependencies, 'throttles' | 'clock' | 'config'>): Guard {
  return async (event) => {
    const limit = deps.config.ipRateLimitPerMinute;
    const sourceIp = event.requestContext?.http?.sourceIp;
    if (limit === 0 || !sourceIp) return;
    const now = deps.clock.now();
    const count = await deps.throttles.countRequest(action, budgetAddress(sourceIp), now);
    if (count > limit) {
      const wait = Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000));
      throw new TooManyRequestsError(`Too many requests from your address; try again in ${wait} seconds.`, wait);
    }
  };
}
