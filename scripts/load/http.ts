// Plain HTTP calls for the set-up and the checks after the run (the load itself goes through
// autocannon), and a helper to run many of them with a bounded number in flight.

export interface Reply {
  status: number;
  body: any;
  text: string;
}

/** One request; never throws on an HTTP error status, only when there is no answer at all. */
export async function call(apiUrl: string, method: string, path: string, options: { json?: unknown; bearer?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers,
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

/** Calls `work` for every item, at most `limit` at a time; results in input order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A short description of an unexpected reply for an error message (the problem's detail, never a token). */
export function describeReply(reply: Reply): string {
  const detail = typeof reply.body?.detail === 'string' ? reply.body.detail : reply.text.slice(0, 200);
  return `${reply.status} ${detail}`;
}
