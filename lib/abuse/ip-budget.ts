// A request budget per source address for the endpoints that cost us most or leak most when
// hammered (password checks of every kind, register, forgot-password, service tokens for a bearer
// token, verification mail): IP_RATE_LIMIT_PER_MINUTE requests per address, budget and clock
// minute, then 429 until the minute is over. It is a second
// line behind the per-account login throttle, set much higher so that an office behind one NAT
// address is not troubled; API Gateway's stage throttling (serverless.yml) caps the total.
import type { Config } from '../config/all.ts';
import { TooManyRequestsError } from '../domain/errors.ts';
import type { ThrottleStore } from '../domain/throttle.ts';
import type { Clock } from '../support/clock.ts';
import { embeddedIpv4, ipv6Groups } from '../support/ip-address.ts';

export interface IpBudgetDeps {
  throttles: ThrottleStore;
  clock: Clock;
  config: Pick<Config, 'ipRateLimitPerMinute'>;
}

/**
 * The budgets (IpBudgetScope in lib/http/declaration.ts names the same). `password` is one budget
 * for every action that checks a password (login, the password form of a service token, every
 * compatibility login), so an address gets IP_RATE_LIMIT_PER_MINUTE guesses a minute in all, not
 * that many per route. `bearer` is for a request that presents a bearer token instead, on a route
 * that takes either: it checks no password, so it does not spend the password budget.
 */
export type BudgetedAction = 'password' | 'register' | 'password-forgot' | 'bearer' | 'email-resend';

/**
 * The address a budget is kept for. An IPv4 address is its own; so is one an IPv6 address carries
 * (IPv4-mapped or NAT64), spelled as that IPv4 address, so the same client is one budget however
 * it reaches us. Otherwise IPv6 users usually hold a whole /64 (SLAAC, privacy addresses), so one
 * budget covers the /64, as a per-address budget would be no limit at all.
 */
export function budgetAddress(sourceIp: string): string {
  const groups = ipv6Groups(sourceIp);
  if (!groups) return sourceIp;
  return (
    embeddedIpv4(groups) ??
    `${groups
      .slice(0, 4)
      .map((group) => group.toString(16))
      .join(':')}::/64`
  );
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
