// The per-IP budget as a route guard: spends one unit for the request's source address before the
// body is parsed (lib/abuse/ip-budget.ts keeps the count).
import { type BudgetedAction, type IpBudgetDeps, spendIpBudget } from '../abuse/ip-budget.ts';
import type { Guard } from './types.ts';

export function ipBudget(action: BudgetedAction, deps: IpBudgetDeps): Guard {
  return (event) => spendIpBudget(action, event.requestContext?.http?.sourceIp, deps);
}
