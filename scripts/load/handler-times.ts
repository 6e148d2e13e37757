// Time spent inside the Lambda handlers, as serverless-offline itself reports it after every
// invocation ("(λ: login) RequestId: …  Duration: 12.34 ms"). Set beside the latency the client
// saw, it splits a request's time into our code (handler, DynamoDB calls and argon2 included) and
// serverless-offline's own share (HTTP server, waiting for or starting a worker thread, hand-over).
import { type Latency, latency } from '../../bench/lib/stats.ts';

const DURATION = /\(λ: ([\w-]+)\) RequestId: \S+\s+Duration: ([\d.]+) ms/;

export interface HandlerTimes {
  /** Feed every output line of serverless-offline here. */
  take(line: string): void;
  /** Forgets what was seen so far (call at the start of the measured window). */
  reset(): void;
  /** Handler durations per function since the last reset. */
  summary(): { functionName: string; latency: Latency }[];
}

export function handlerTimes(): HandlerTimes {
  let byFunction = new Map<string, number[]>();
  return {
    take(line) {
      const match = DURATION.exec(line);
      if (!match) return;
      const list = byFunction.get(match[1]!) ?? [];
      list.push(Number(match[2]));
      byFunction.set(match[1]!, list);
    },
    reset() {
      byFunction = new Map();
    },
    summary() {
      return [...byFunction.entries()].map(([functionName, values]) => ({ functionName, latency: latency(values) }));
    },
  };
}
