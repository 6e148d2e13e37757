// The configuration reference and serverless.yml follow the schemas: docs/configuration.md's table
// is what lib/config/ renders, and serverless.yml forwards exactly the declared variables.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../../lib/config/all.ts';
import { BEGIN_MARKER, END_MARKER, renderReference, withReference } from '../../../lib/config/reference.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('holds the reference the schemas render (run `npm run docs:config` after changing lib/config/)', () => {
    const document = read('docs/configuration.md');
    const begin = document.indexOf(BEGIN_MARKER);
    const end = document.indexOf(END_MARKER);
    expect(begin, `docs/configuration.md needs the markers ${BEGIN_MARKER} and ${END_MARKER}`).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    const block = document.slice(begin + BEGIN_MARKER.length, end).trim();
    expect(block, 'docs/configuration.md is out of date: run `npm run docs:config`').toBe(renderReference());
  });

  it('lists every declared variable once, with its section', () => {
    const table = renderReference();
    for (const section of SECTIONS) {
      for (const name of section.variableNames) expect(table).toContain(`| \`${name}\` | ${section.name} |`);
    }
    expect(table.split('\n')).toHaveLength(2 + SECTIONS.flatMap((s) => s.variableNames).length);
  });

  it('replaces only the text between the markers', () => {
    const document = `intro\n${BEGIN_MARKER}\nold table\n${END_MARKER}\nafter\n`;
    expect(withReference(document)).toBe(`intro\n${BEGIN_MARKER}\n${renderReference()}\n${END_MARKER}\nafter\n`);
    expect(() => withReference('no markers')).toThrow(/generated:configuration/);
  });
});

/** Variables that serverless.yml sets for the runtime and its libraries (Powertools), not read by lib/config/. */
const FOR_THE_RUNTIME = ['NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];

describe('serverless.yml', () => {
  it('forwards exactly the declared variables (except those Lambda sets itself)', () => {
    const template = load(read('serverless.yml')) as { provider: { environment: Record<string, unknown> } };
    const forwarded = Object.keys(template.provider.environment).sort();
    const declared = SECTIONS.flatMap((section) => section.variables.filter((v) => !v.setByLambda && !v.adminOnly).map((v) => v.name));
    expect(forwarded, 'add the variable to provider.environment in serverless.yml, or declare it in a section of lib/config/').toEqual(
      [...declared, ...FOR_THE_RUNTIME].sort(),
    );
  });

  it('never forwards what only the admin CLI reads (KEY_ENCRYPTION_SECRET) to a function', () => {
    const template = load(read('serverless.yml')) as { provider: { environment: Record<string, unknown> } };
    const adminOnly = SECTIONS.flatMap((section) => section.variables.filter((v) => v.adminOnly).map((v) => v.name));
    expect(adminOnly).toEqual(['KEY_ENCRYPTION_SECRET']);
    for (const name of adminOnly) expect(template.provider.environment).not.toHaveProperty(name);
    expect(read('serverless.yml')).not.toContain('KEY_ENCRYPTION_SECRET');
  });

  it('does not try to set what Lambda sets itself', () => {
    const template = load(read('serverless.yml')) as { provider: { environment: Record<string, unknown> } };
    const lambdas = SECTIONS.flatMap((section) => section.variables.filter((v) => v.setByLambda).map((v) => v.name));
    expect(lambdas).toEqual(['AWS_REGION']);
    for (const name of lambdas) expect(template.provider.environment).not.toHaveProperty(name);
  });
});
