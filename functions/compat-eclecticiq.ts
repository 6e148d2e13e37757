// The EclecticIQ compatibility routes (lib/routes/compat/eclecticiq.ts), answered as EclecticIQ documents them.
// ENABLED_DIALECTS can switch them off; they then answer 404.

import { serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { eclecticIqLambda } from '../lib/routes/compat/eclecticiq.ts';
import { eclecticIqImplementations } from '../lib/routes/compat/eclecticiq-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(eclecticIqLambda, eclecticIqImplementations(deps), {
  ipBudget: (scope) => ipBudget(scope, deps),
  enabled: deps.config.enabledDialects.includes('eclecticiq'),
});
