// A request budget per source address for the endpoints that cost us most or leak most when
// hammered (login, register, forgot-password, service-token, verification mail): IP_RATE_LIMIT_PER_MINUTE
// requests per address, action and clock minute, then 429 until the minute is over. It is a second
// line behind the per-account login throttle, set much higher so that an office behind one NAT
// address is not troubled; API Gateway's stage throttling (serverless.yml) caps the total.
import { isIPv6 } from 'node:net';
import type { Config } from '../config/all.ts';
import { TooManyRequestsError } from '../domain/errors.ts';
import type { ThrottleStore } from '../domain/throttle.ts';
import type { Clock } from '../support/clock.ts';

export interface IpBudgetDeps {
  throttles: ThrottleStore;
  clock: Clock;
  config: Pick<Config, 'ipRateLimitPerMinute'>;
}

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
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Spends one unit of `action`'s budget for `sourceIp`; throws TooManyRequestsError when it is spent. */
export async function spendIpBudget(action: BudgetedAction, sourceIp: string | undefined, deps: IpBudgetDeps): Promise<void> {
  const limit = deps.config.ipRateLimitPerMinute;
  if (limit === 0 || !sourceIp) return;
  const now = deps.clock.now();
  const count = await deps.throttles.countRequest(action, budgetAddress(sourceIp), now);
  if (count > limit) {
    const wait = Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000));
    throw new TooManyRequestsError(`Too many requests from your address; try again in ${wait} seconds.`, wait);
  }
}
