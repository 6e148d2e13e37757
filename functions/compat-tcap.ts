// The TCAP compatibility routes (lib/routes/compat/tcap.ts), answered as TCAP documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.

import { serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { tcapLambda } from '../lib/routes/compat/tcap.ts';
import { tcapImplementations } from '../lib/routes/compat/tcap-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(tcapLambda, tcapImplementations(deps), {
  ipBudget: (scope) => ipBudget(scope, deps),
  enabled: deps.config.enabledDialects.includes('tcap'),
});
