// The API documentation page in a real browser (Debian's Chromium): Swagger UI, served by the
// service itself under a strict CSP, renders the generated OpenAPI document.
import { describe, expect, it } from 'vitest';
import { apiUrl } from '../e2e/helpers.ts';
import { open, withPage } from '../support/browser.ts';

describe('GET /docs in a browser', () => {
  it('renders every documented operation, with no console error, CSP violation or failed request', { timeout: 30_000 }, async () => {
    await withPage(async (page) => {
      const response = await open(page, `${apiUrl()}/docs`);
      expect(response.status()).toBe(200);
      await page
        .getByRole('heading', { name: /Auth Service API/ })
        .first()
        .waitFor({ timeout: 15_000 });
      // One block per operation; the native login and a compatibility route among them.
      await page.locator('.opblock').first().waitFor();
      expect(await page.locator('.opblock').count()).toBeGreaterThan(30);
      expect(await page.locator('.opblock-summary-path', { hasText: /^\/login$/ }).count()).toBe(1);
      expect(await page.locator('.opblock-summary-path', { hasText: '/token-auth/api/login' }).count()).toBe(1);
    });
  });
});
