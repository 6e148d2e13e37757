// The comparison behind the differential tests (test/e2e/django-differential.test.ts): what one
// HTTP answer looks like to a client (status, media type, JSON shape, error texts), the differences
// between the reference's answer and ours, and which of them a scenario lists as intended.

/** One answer as the comparison sees it. */
export interface Observed {
  status: number;
  /** The media type, lower case, without parameters ("application/json"). */
  contentType: string;
  /** The parsed JSON body, or the raw text when the body is not JSON. */
  body: unknown;
}

export type DifferenceKind = 'status' | 'content-type' | 'missing' | 'extra' | 'type' | 'value';

/** One way our answer differs from the reference's, at a path such as body.messages[0].message. */
export interface Difference {
  at: string;
  kind: DifferenceKind;
  reference: unknown;
  ours: unknown;
}

/** A difference we keep on purpose: every difference at `on` (or below it) of the given kinds. */
export interface Deviation {
  on: string;
  kinds?: DifferenceKind[];
  reason: string;
}

export interface CompareOptions {
  /** Paths whose values must be equal even in a success answer (where texts and numbers are otherwise compared by type). */
  exact?: string[];
  /** Paths whose texts need only match a pattern on both sides (e.g. a parser's own wording). */
  patterns?: Record<string, RegExp>;
}

/** A response read as the comparison sees it. */
export async function observe(res: Response): Promise<Observed> {
  const text = await res.text();
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : '';
  } catch {
    // Not JSON: compared as text.
  }
  return { status: res.status, contentType, body };
}

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * How ours differs from the reference. Error answers (the reference's status 400 or above) are
 * compared text for text; in success answers texts and numbers (tokens, ids, dates) are compared
 * by type only, booleans and nulls always by value.
 */
export function differences(reference: Observed, ours: Observed, options: CompareOptions = {}): Difference[] {
  const found: Difference[] = [];
  if (reference.status !== ours.status) found.push({ at: 'status', kind: 'status', reference: reference.status, ours: ours.status });
  if (reference.contentType !== ours.contentType)
    found.push({ at: 'content-type', kind: 'content-type', reference: reference.contentType, ours: ours.contentType });
  const texts = reference.status >= 400;
  const exact = new Set(options.exact ?? []);
  const patterns = options.patterns ?? {};

  const walk = (at: string, a: unknown, b: unknown): void => {
    const [ka, kb] = [kindOf(a), kindOf(b)];
    if (ka !== kb) {
      found.push({ at, kind: 'type', reference: a, ours: b });
      return;
    }
    if (ka === 'object') {
      const ra = a as Record<string, unknown>;
      const rb = b as Record<string, unknown>;
      for (const key of Object.keys(ra)) {
        if (Object.hasOwn(rb, key)) walk(`${at}.${key}`, ra[key], rb[key]);
        else found.push({ at: `${at}.${key}`, kind: 'missing', reference: ra[key], ours: undefined });
      }
      for (const key of Object.keys(rb)) if (!Object.hasOwn(ra, key)) found.push({ at: `${at}.${key}`, kind: 'extra', reference: undefined, ours: rb[key] });
    } else if (ka === 'array') {
      const [la, lb] = [a as unknown[], b as unknown[]];
      if (la.length !== lb.length) found.push({ at, kind: 'value', reference: a, ours: b });
      for (let i = 0; i < Math.min(la.length, lb.length); i++) walk(`${at}[${i}]`, la[i], lb[i]);
    } else if (patterns[at]) {
      if (!(patterns[at].test(String(a)) && patterns[at].test(String(b)))) found.push({ at, kind: 'value', reference: a, ours: b });
    } else {
      const byValue = exact.has(at) || ka === 'boolean' || ka === 'null' || (texts && ka === 'string');
      if (byValue && a !== b) found.push({ at, kind: 'value', reference: a, ours: b });
    }
  };
  walk('body', reference.body, ours.body);
  return found;
}

const covers = (deviation: Deviation, difference: Difference): boolean =>
  (difference.at === deviation.on || difference.at.startsWith(`${deviation.on}.`) || difference.at.startsWith(`${deviation.on}[`)) &&
  (!deviation.kinds || deviation.kinds.includes(difference.kind));

/** The differences no deviation explains, and the deviations that explain nothing (stale entries). */
export function explain(found: Difference[], deviations: Deviation[]): { unexplained: Difference[]; stale: Deviation[] } {
  return {
    unexplained: found.filter((difference) => !deviations.some((deviation) => covers(deviation, difference))),
    stale: deviations.filter((deviation) => !found.some((difference) => covers(deviation, difference))),
  };
}
