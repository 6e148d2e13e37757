// The compatibility dialects' route-table entries: one Lambda per dialect (declarations only; each
// dialect's handlers are in ./<dialect>-handlers.ts, served by functions/compat-<dialect>.ts).
import type { LambdaDeclaration } from '../../http/declaration.ts';
import { eclecticIqLambda } from './eclecticiq.ts';
import { miniSassLambda } from './minisass.ts';
import { opentactLambda } from './opentact.ts';
import { tcapLambda } from './tcap.ts';

export const COMPAT_LAMBDAS: readonly LambdaDeclaration[] = [tcapLambda, eclecticIqLambda, opentactLambda, miniSassLambda];
