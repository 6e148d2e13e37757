// The compatibility dialects as route-table entries: one Lambda per dialect, its routes read from
// the dialect's own route list (the same list its Lambda serves), and its error envelope.
import type { Dependencies } from '../../use-cases/dependencies.ts';
import type { LambdaDeclaration, OperationDeclaration } from '../../http/declaration.ts';
import type { RouteSpec } from '../../http/router.ts';
import { eclecticIqRoutes } from './eclecticiq.ts';
import { drfError, opentactError, tcapError } from './envelopes.ts';
import { miniSassRoutes } from './minisass.ts';
import { opentactRoutes } from './opentact.ts';
import { tcapRoutes } from './tcap.ts';

/** Listing a dialect's routes touches none of its dependencies; anything that tries is a bug, said loudly. */
const UNWIRED = new Proxy({} as Dependencies, {
  get(_target, name) {
    throw new Error(`A route declaration read deps.${String(name)}; declarations must not touch dependencies`);
  },
});

function operations(routes: RouteSpec[], dialect: string): OperationDeclaration[] {
  return routes.map((route) => ({
    method: route.method,
    path: route.path,
    tag: `Compatibility: ${dialect}`,
    summary: route.summary,
    ...(route.request ? { request: route.request } : {}),
    auth: route.auth ?? 'none',
    success: { status: 200, body: 'Any' },
  }));
}

let built: LambdaDeclaration[] | undefined;

export function compatLambdas(): readonly LambdaDeclaration[] {
  built ??= [
    { name: 'compatTcap', file: 'compat-tcap', httpApiPaths: ['/token-auth/{proxy+}'], dialect: 'tcap', errors: tcapError, operations: operations(tcapRoutes(UNWIRED), 'TCAP') },
    { name: 'compatEclecticiq', file: 'compat-eclecticiq', httpApiPaths: ['/auth', '/api/auth'], dialect: 'problem', operations: operations(eclecticIqRoutes(UNWIRED), 'EclecticIQ') },
    { name: 'compatOpentact', file: 'compat-opentact', httpApiPaths: ['/rest/{proxy+}', '/token/{proxy+}'], dialect: 'opentact', errors: opentactError, operations: operations(opentactRoutes(UNWIRED), 'Opentact') },
    { name: 'compatMinisass', file: 'compat-minisass', httpApiPaths: ['/authentication/api/{proxy+}'], dialect: 'drf', errors: drfError, operations: operations(miniSassRoutes(UNWIRED), 'miniSASS') },
  ];
  return built;
}
