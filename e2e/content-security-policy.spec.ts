import { expect, type Page, test } from '@playwright/test';
import { commandFake, resetFake } from './fake-douban';
import { watchCspViolations } from './watch-csp-violations';

test.beforeEach(async ({ request }) => {
  await resetFake(request);
});

const card = (page: Page, id: string) => page.locator(`[data-testid="movie-card"][data-movie-id="${id}"]`);

function readNonce(policy: string | undefined): string | undefined {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? '')?.[1];
}

function listScriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

test('a page carries a nonce CSP that every script in it has, and the usual security headers', async ({
  page,
}) => {
  const response = await page.goto('/?city=shanghai');
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  const policy = headers['content-security-policy'] ?? '';
  const nonce = readNonce(policy);
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  for (const directive of ["object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"]) {
    expect(policy).toContain(directive);
  }
  expect(policy).toContain("connect-src 'self'");
  expect(policy).toContain("img-src 'self' data:");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toContain('camera=()');

  const tags = listScriptTags((await response?.text()) ?? '');
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
});

test('each response gets its own nonce, the 404 page included', async ({ request }) => {
  const first = readNonce((await request.get('/?city=shanghai')).headers()['content-security-policy']);
  // A prerendered 404 would carry scripts without any nonce, which the browser refuses.
  const missing = await request.get('/no-such-page');
  expect(missing.status()).toBe(404);
  const nonce = readNonce(missing.headers()['content-security-policy']);
  expect(nonce).toBeTruthy();
  expect(nonce).not.toBe(first);
  const tags = listScriptTags(await missing.text());
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
});

test('under the policy the page hydrates, shows posters and takes live updates, with no violation', async ({
  page,
  request,
}) => {
  const violations = await watchCspViolations(page);
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  await commandFake(request, { path: 'score', body: { city: 'shanghai', id: '36154853', score: 9.5 } });
  await expect(card(page, '36154853').getByTestId('movie-score')).toHaveText('9.5');
  // By name: the card's sparkline is an image too.
  const poster = card(page, '36154853').getByRole('img', { name: '好东西', exact: true });
  await expect
    .poll(() => poster.evaluate((image: HTMLImageElement) => (image.complete ? image.naturalWidth : 0)))
    .toBeGreaterThan(0);
  expect(await violations()).toEqual([]);
});

test('the policy refuses an injected inline handler, so even an escaping bug could not run script', async ({
  page,
}) => {
  const violations = await watchCspViolations(page);
  await page.goto('/?city=shanghai');
  await expect(page.getByTestId('status-line')).toHaveAttribute('data-state', 'live');
  // Markup put into the DOM unescaped, as a broken renderer would; /x is a 404, so onerror fires.
  await page.evaluate(() => {
    const host = document.createElement('div');
    host.innerHTML = '<img src="/x" onerror="document.body.dataset.pwned = \'yes\'">';
    document.body.append(host);
  });
  await expect.poll(violations).toContainEqual(expect.stringContaining('script-src'));
  await expect(page.locator('body')).not.toHaveAttribute('data-pwned', 'yes');
});
