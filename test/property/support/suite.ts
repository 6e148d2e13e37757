// One property test per endpoint, each with credentials of its own (its cases log out, rotate and
// reset, and must not spoil the next endpoint's). Handlers and dependencies are loaded at collection
// time, after the environment is set, so the list of endpoints comes from the route table.
import { describe, it } from 'vitest';
import { credentialPool } from './credentials.ts';
import { allEndpoints, DIALECTS, type Endpoint } from './endpoints.ts';
import { fuzzEndpoint, fuzzRouter, RUNS_PER_ENDPOINT } from './fuzz.ts';
import { loadHandlers } from './handlers.ts';

/** Generous: 1,000 cases of an endpoint that logs in or registers take a few seconds on a busy 2-core machine. */
const TIMEOUT_MS = 120_000;

export async function endpointProperties(title: string, select: (endpoint: Endpoint) => boolean): Promise<void> {
  const handlers = await loadHandlers();
  const endpoints = allEndpoints().filter(select);
  describe(`${title}: ${RUNS_PER_ENDPOINT} hostile requests each`, () => {
    for (const endpoint of endpoints) {
      const routes = DIALECTS.find((d) => d.file === endpoint.file)?.operations;
      it(endpoint.id, { timeout: TIMEOUT_MS }, async () => fuzzEndpoint(endpoint, handlers[endpoint.file], await credentialPool(), routes));
    }
  });
}

/** Each compatibility router with random methods and paths under its prefixes. */
export async function routerProperties(files: readonly string[]): Promise<void> {
  const handlers = await loadHandlers();
  describe(`the compatibility routers: ${RUNS_PER_ENDPOINT} random methods and paths each`, () => {
    for (const dialect of DIALECTS.filter((d) => files.includes(d.file))) {
      it(dialect.file, { timeout: TIMEOUT_MS }, async () =>
        fuzzRouter(
          handlers[dialect.file],
          dialect.operations,
          // Django REST Framework's serializers ignore keys they do not declare (TCAP, miniSASS).
          { envelope: dialect.envelope, cors: true, ignoresUnknownFields: dialect.envelope === 'drf' || dialect.envelope === 'tcap' },
          await credentialPool(),
        ),
      );
    }
  });
}
