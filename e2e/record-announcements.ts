import type { Page } from '@playwright/test';

/**
 * Records every sentence the page's live region for changes (`change-announcer`) is given from now
 * on, as a screen reader would hear them: each mutation of the region with text in it. The returned
 * function reads them back, for `expect.poll`.
 */
export async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const region = document.querySelector('[data-testid="change-announcer"]');
    if (!region) throw new Error('no live region for changes');
    const heard: string[] = [];
    (window as unknown as { heard: string[] }).heard = heard;
    new MutationObserver(() => {
      const text = region.textContent?.trim();
      if (text) heard.push(text);
    }).observe(region, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
}
