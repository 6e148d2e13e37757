// The Opentact compatibility routes (lib/routes/compat/opentact.ts), answered as Opentact documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.

import { serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { opentactLambda } from '../lib/routes/compat/opentact.ts';
import { opentactImplementations } from '../lib/routes/compat/opentact-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(opentactLambda, opentactImplementations(deps), {
  ipBudget: (scope) => ipBudget(scope, deps),
  enabled: deps.config.enabledDialects.includes('opentact'),
});
