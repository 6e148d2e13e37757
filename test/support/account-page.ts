// Helpers for the Chromium tests of the hosted account page: signing in to it, its sections by
// name, reaching a control with the Tab key alone, and an axe-core check of the page as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { NewUser } from '../e2e/helpers.ts';
import { heading, open, submit } from './browser.ts';
import { issuerUrl } from './oidc.ts';

export const accountUrl = (path = '/account') => new URL(path, issuerUrl()).href;

/** Opens /account and signs in with the password (an account without a second factor lands on the page). */
export async function signInToAccount(page: Page, user: Pick<NewUser, 'username' | 'password'>): Promise<void> {
  await open(page, accountUrl());
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await submit(page, 'Sign in');
  await heading(page, 'Your account');
}

/** A section of the account page, by its heading. */
export const accountSection = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/**
 * Presses Tab until `target` has the focus, and fails when it is not reached within `maxTabs`
 * presses: the control is reachable from the keyboard, in the page's order.
 */
export async function tabTo(page: Page, target: Locator, maxTabs = 120): Promise<void> {
  for (let presses = 0; presses < maxTabs; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === (element as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)) return;
  }
  throw new Error(`not reached with ${maxTabs} presses of Tab: ${target}`);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA, and its best practices) on the page as it is now and fails on
 * any violation. The script is evaluated through the DevTools protocol: a <script> tag (addScriptTag)
 * would be refused by the pages' Content-Security-Policy, which allows no inline script.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  expect(
    violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`),
    `axe-core violations on the account page (${state})`,
  ).toEqual([]);
}
