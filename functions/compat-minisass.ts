// The miniSASS compatibility routes (lib/routes/compat/minisass.ts), answered as miniSASS documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.

import { serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { miniSassLambda } from '../lib/routes/compat/minisass.ts';
import { miniSassImplementations } from '../lib/routes/compat/minisass-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(miniSassLambda, miniSassImplementations(deps), {
  ipBudget: (scope) => ipBudget(scope, deps),
  enabled: deps.config.enabledDialects.includes('minisass'),
});
