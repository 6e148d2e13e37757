// Drives the mix with autocannon: one autocannon connection per user, each with its own request
// list whose setupRequest/onResponse close over that user's state.
//
// Why autocannon can carry per-connection state here: autocannon's `context` is no use for it (it
// is cloned from one shared initialContext and reset at the end of every pass through the
// requests), but `setupClient` is called once per connection with that connection's Client, and
// `client.setRequests` gives the connection its own request list before it sends anything. So
// connection i owns user i's refresh chain for the whole run, and autocannon still does the
// keep-alive connections, timeouts, error counting and latency measurement.
//
// The run ends gracefully: at the deadline every connection is told to stop after the answer it
// is waiting for (the Client's `responseMax`), so no refresh or delete is cut off half-way and the
// ledger matches what the API did. A request still unanswered after autocannon's own timeout is
// recorded as abandoned, and what it touched is left out of the lost-write check (and counted).
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { type ConnectionState, type Kind, LOOP, planRequest, settle, takeAnswer } from './mix.ts';

/** One answered request. */
export interface Answer {
  kind: Kind;
  status: number;
  /** Latency as autocannon measured it, ms. */
  ms: number;
  /** When the answer came, seconds after the first request. */
  at: number;
}

export interface DriveResult {
  answers: Answer[];
  /** Connection errors and timeouts (autocannon's count; a timeout is also an error there). */
  errors: number;
  timeouts: number;
  /** Requests written, answered or not. */
  sent: number;
  /** From the first request to the last answer (the drain included), seconds. */
  elapsedSeconds: number;
}

export interface DriveOptions {
  apiUrl: string;
  durationSeconds: number;
  timeoutSeconds: number;
  /** Aborting stops at once, without the drain (Ctrl-C). */
  signal?: AbortSignal;
}

/** Runs the mix with one connection per state until the deadline, then lets every answer in. */
export function drive(states: ConnectionState[], options: DriveOptions): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const answers: Answer[] = [];
    const clients: autocannon.Client[] = [];
    let assigned = 0;
    let lastAnswerAt = performance.now();
    const startedAt = performance.now();

    const setupClient = (client: autocannon.Client) => {
      const index = assigned++;
      const state = states[index]!;
      clients.push(client);
      // The connections start at points spread evenly over the loop, so the kinds are mixed from
      // the first second instead of 50 identical requests arriving together.
      const offset = Math.floor((index * LOOP.length) / states.length) % LOOP.length;
      const kinds = [...LOOP.slice(offset), ...LOOP.slice(0, offset)];
      client.setRequests(
        kinds.map((kind) => ({
          setupRequest: (request) => ({ ...request, ...planRequest(kind, state) }),
          onResponse: (status, body) => takeAnswer(state, status, body),
        })),
      );
      // Emitted right after onResponse, with autocannon's own measurement of the request.
      client.on('response', (status, _bytes, ms) => {
        lastAnswerAt = performance.now();
        answers.push({ kind: state.lastAnswered!, status, ms, at: (lastAnswerAt - startedAt) / 1000 });
      });
    };

    const instance = autocannon(
      {
        url: options.apiUrl,
        connections: states.length,
        // The hard limit: the load, then at most one timeout's worth of drain.
        duration: options.durationSeconds + options.timeoutSeconds + 2,
        timeout: options.timeoutSeconds,
        pipelining: 1,
        // Replaced per connection in setupClient before anything is sent.
        requests: [{ method: 'GET', path: '/' }],
        setupClient,
      },
      (error, result) => {
        clearTimeout(deadline);
        options.signal?.removeEventListener('abort', abort);
        if (error) return reject(error);
        for (const state of states) settle(state);
        resolve({
          answers,
          errors: result.errors,
          timeouts: result.timeouts,
          sent: result.requests.sent,
          elapsedSeconds: (lastAnswerAt - startedAt) / 1000,
        });
      },
    );

    // Each connection closes once its current answer is in; when all have, autocannon finishes.
    const deadline = setTimeout(() => {
      for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
    }, options.durationSeconds * 1000);
    const abort = () => instance.stop();
    options.signal?.addEventListener('abort', abort, { once: true });
  });
}
