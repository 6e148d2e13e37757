// How a configuration section is declared and read. Each variable is declared once (its name, a
// zod/mini schema, default, allowed values and a one-line description); the docs table, the
// serverless.yml check and `npm start`'s validation all read these declarations. A section is read
// lazily, once per environment object, and a bad environment fails with every bad variable named.
import type * as z from 'zod/mini';
import { ConfigError, type ConfigProblem } from '../domain/errors.ts';

/** An environment: process.env, or a plain object in tests and admin commands. */
export type Env = Record<string, string | undefined>;

/** What a variable's values look like: the schema that parses them and how the docs describe them. */
export interface Kind<T> {
  /** Parses a trimmed, non-empty value; every issue's message reads after the variable's name. */
  readonly schema: z.ZodMiniType<T, string>;
  /** The allowed values or range, for the docs ("60–86400", "true or false"). */
  readonly allowed: string;
  /** A value as the docs show it, '' for an empty list (a method, so that a Kind<string> serves a string | undefined variable). */
  show(value: T): string;
  /** The inclusive range of a whole-number variable. */
  readonly range?: { readonly min: number; readonly max: number };
}

/** One environment variable, declared once. */
export interface Variable<T> {
  readonly name: string;
  readonly kind: Kind<T>;
  /** The value when the variable is unset or empty (serverless.yml forwards '' for unset ones). */
  readonly fallback: T;
  /** The default as the docs show it (Markdown). */
  readonly defaultText: string;
  readonly description: string;
  /** Set by the Lambda runtime itself, so serverless.yml does not (and may not) forward it. */
  readonly setByLambda: boolean;
  /** Read only by the admin CLI, so serverless.yml must never forward it to a function (a secret). */
  readonly adminOnly: boolean;
}

export interface VariableSpec<T> {
  kind: Kind<T>;
  fallback: T;
  /** The default as the docs show it (Markdown), when it is not simply `fallback`: derived, or required. */
  defaultText?: string;
  description: string;
  setByLambda?: boolean;
  adminOnly?: boolean;
}

function shownDefault<T>(kind: Kind<T>, fallback: T): string {
  if (fallback === undefined) return 'none';
  const shown = kind.show(fallback);
  return shown ? `\`${shown}\`` : 'empty';
}

/** Declares one variable; `name` is its environment name. */
export function variable<T>(name: string, spec: VariableSpec<T>): Variable<T> {
  return {
    name,
    kind: spec.kind,
    fallback: spec.fallback,
    defaultText: spec.defaultText ?? shownDefault(spec.kind, spec.fallback),
    description: spec.description,
    setByLambda: spec.setByLambda ?? false,
    adminOnly: spec.adminOnly ?? false,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a record of variables of any value type
type Variables = Record<string, Variable<any>>;

/** The parsed values of a section's variables, by the keys the section gave them. */
export type Values<V extends Variables> = { [K in keyof V]: V[K] extends Variable<infer T> ? T : never };

export interface SectionSpec<V extends Variables, Out> {
  /** The section's name, as the docs show it (kebab-case, the file's name). */
  name: string;
  variables: V;
  /**
   * Rules between variables of this section (required values, one bounded by another). `failed`
   * holds the variables that did not parse: a rule that depends on one of them stays silent, so
   * each problem is reported once, at its cause.
   */
  check?: (values: Values<V>, report: (key: keyof V, problem: string) => void, failed: ReadonlySet<keyof V>) => void;
  /** The section's configuration, from values that passed every check. */
  shape: (values: Values<V>) => Out;
}

export interface Section<V extends Variables, Out> {
  readonly name: string;
  readonly variables: readonly Variable<unknown>[];
  /** The variables by the keys of values(); for tests that check one variable's parsed value. */
  readonly byKey: Readonly<V>;
  /** The environment names of this section's variables (for serverless.yml per-function environments). */
  readonly variableNames: readonly string[];
  /** Every problem of this section in `env`; empty when it is valid. Never throws. */
  problems(env: Env): ConfigProblem[];
  /** The parsed values by key; throws ConfigError naming every bad variable. */
  values(env: Env): Values<V>;
  /** The section's configuration, parsed afresh; throws ConfigError naming every bad variable. */
  load(env: Env): Out;
  /**
   * The section's configuration, parsed at the first call for an environment object and then
   * reused (a later change to that object is not seen: configuration is read at cold start).
   * Throws ConfigError naming every bad variable; a failure is not cached.
   */
  read(env: Env): Out;
}

/** An unset and an empty variable both mean "use the default" (serverless.yml forwards ''). */
function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** zod issues in the words of the old hand-written parsers: `entry 0: "id" must be ...`. */
function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map(({ path, message }) => {
      const [entry, field] = path;
      if (typeof entry !== 'number') return message;
      return field === undefined ? `entry ${entry}: ${message}` : `entry ${entry}: "${String(field)}" ${message}`;
    })
    .join('; ');
}

function parse<V extends Variables>(spec: SectionSpec<V, unknown>, env: Env): { values: Values<V>; problems: ConfigProblem[] } {
  const values = {} as Record<keyof V, unknown>;
  const failed = new Set<keyof V>();
  const problems: ConfigProblem[] = [];
  for (const [key, declared] of Object.entries(spec.variables) as [keyof V, Variable<unknown>][]) {
    const raw = present(env, declared.name);
    if (raw === undefined) {
      // A copy: a caller that changes its configuration must not change the next one's default.
      values[key] = structuredClone(declared.fallback);
      continue;
    }
    const result = declared.kind.schema.safeParse(raw);
    if (result.success) {
      values[key] = result.data;
    } else {
      failed.add(key);
      problems.push({ variable: declared.name, problem: describe(result.error.issues) });
    }
  }
  const report = (key: keyof V, problem: string) => problems.push({ variable: (spec.variables[key] as Variable<unknown>).name, problem });
  spec.check?.(values as Values<V>, report, failed);
  // In declaration order, as the docs list them, whichever rule found them.
  const order = Object.values(spec.variables).map((declared) => declared.name);
  problems.sort((a, b) => order.indexOf(a.variable) - order.indexOf(b.variable));
  return { values: values as Values<V>, problems };
}

/** Declares a section: its variables, the rules between them and the configuration they make. */
export function defineSection<V extends Variables, Out>(spec: SectionSpec<V, Out>): Section<V, Out> {
  const cache = new WeakMap<object, Out>();
  const values = (env: Env): Values<V> => {
    const parsed = parse(spec, env);
    if (parsed.problems.length) throw new ConfigError(parsed.problems);
    return parsed.values;
  };
  return {
    name: spec.name,
    variables: Object.values(spec.variables),
    byKey: spec.variables,
    variableNames: Object.values(spec.variables).map((declared) => declared.name),
    problems: (env) => parse(spec, env).problems,
    values,
    load: (env) => spec.shape(values(env)),
    read(env) {
      let config = cache.get(env);
      if (config === undefined) {
        config = spec.shape(values(env));
        cache.set(env, config);
      }
      return config;
    },
  };
}
