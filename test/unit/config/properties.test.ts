// Properties of every section, whatever the environment holds: a numeric variable either parses
// within its range or fails with a ConfigError naming it, and validateEnvironment never throws and
// names each bad variable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig, SECTIONS } from '../../../lib/config/all.ts';
import type { Variable } from '../../../lib/config/section.ts';
import { validateEnvironment } from '../../../lib/config/validate.ts';
import { ConfigError } from '../../../lib/domain/errors.ts';

/** What the sections that require something need, so that only the variable under test can be wrong. */
const VALID = { KEY_ENCRYPTION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'http://localhost:3000' };

const numeric = SECTIONS.flatMap((section) =>
  Object.entries(section.byKey as Record<string, Variable<unknown>>).flatMap(([key, declared]) =>
    declared.kind.range ? [{ section, key, name: declared.name, ...declared.kind.range }] : [],
  ),
);

/** Strings that look like numbers (in and out of range, padded, signed, exotic), and any string. */
const numberLike = (max: number) =>
  fc.oneof(
    fc.string(),
    fc.integer({ min: -10, max: max * 2 + 10 }).map(String),
    fc.tuple(fc.constantFrom('', ' ', '\t', '\n'), fc.nat({ max: max + 1 }), fc.constantFrom('', ' ', '\n')).map(([a, n, b]) => `${a}${n}${b}`),
    fc.stringMatching(/^\d{1,30}$/),
    fc.constantFrom('', '   ', '1e3', '0x10', '+5', '5.0', '１２', '٣', 'Infinity', 'NaN', '-0', '00000000000000000000001'),
  );

describe('numeric variables', () => {
  it('covers every whole-number variable', () => {
    expect(numeric.map((n) => n.name)).toContain('ACCESS_TOKEN_TTL');
    expect(numeric).toHaveLength(29);
  });

  for (const { section, key, name, min, max } of numeric) {
    it(`${name}: parses within ${min}–${max} or throws a ConfigError naming it`, () => {
      fc.assert(
        fc.property(numberLike(max), (raw) => {
          let values: Record<string, unknown>;
          try {
            values = section.values({ ...VALID, [name]: raw });
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            const { problems } = error as ConfigError;
            expect(problems.length).toBeGreaterThan(0);
            expect(problems.every((p) => p.variable === name)).toBe(true);
            expect(raw.trim()).not.toBe('');
            return;
          }
          const value = values[key] as number | undefined;
          if (raw.trim() === '') {
            // The default, or a default derived later from other variables (API_TOKEN_DEFAULT_TTL).
            expect(value === undefined || (Number.isInteger(value) && value >= min && value <= max)).toBe(true);
          } else {
            expect(value).toBe(Number(raw.trim()));
            expect(Number.isInteger(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(min);
            expect(value).toBeLessThanOrEqual(max);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});

const ALL = SECTIONS.flatMap((section) => section.variables);

/** An environment of some declared variables with arbitrary values, some of them valid ones. */
const environment = fc.dictionary(
  fc.constantFrom(...ALL.map((declared) => declared.name)),
  fc.oneof(fc.string(), fc.nat({ max: 100_000 }).map(String), fc.constantFrom('', 'true', 'all', 'none', 'https://a.example', '[]', 'x'.repeat(40))),
  { maxKeys: 12 },
);

/** Whether a value, on its own, fails its variable's schema. */
const failsAlone = (declared: Variable<unknown>, raw: string) => raw.trim() !== '' && !declared.kind.schema.safeParse(raw.trim()).success;

describe('validateEnvironment', () => {
  it('never throws, names only declared variables, and names each variable whose value is bad on its own', () => {
    const names = new Set(ALL.map((declared) => declared.name));
    fc.assert(
      fc.property(environment, (env) => {
        const lines = validateEnvironment(env);
        const named = new Set(lines.map((line) => line.split(' ')[0] ?? ''));
        for (const name of named) expect(names.has(name)).toBe(true);
        for (const declared of ALL) {
          const raw = env[declared.name];
          if (raw !== undefined && failsAlone(declared, raw)) expect(named.has(declared.name)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with loadConfig: no problems means it loads, and loadConfig throws only ConfigError', () => {
    fc.assert(
      fc.property(environment, (raw) => {
        const env = { ...VALID, ...raw, LOG_LEVEL: undefined };
        const lines = validateEnvironment(env);
        try {
          loadConfig(env);
          expect(lines).toEqual([]);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).problems.map((p) => `${p.variable} ${p.problem}`).sort()).toEqual([...lines].sort());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('names a missing public URL and a short secret, one line each', () => {
    expect(validateEnvironment({})).toEqual(['PUBLIC_URL is required']);
    expect(validateEnvironment({ KEY_ENCRYPTION_SECRET: 'short' })).toEqual(['PUBLIC_URL is required', 'KEY_ENCRYPTION_SECRET must be at least 32 characters']);
    expect(validateEnvironment({ ...VALID })).toEqual([]);
  });
});
