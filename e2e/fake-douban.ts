import { type APIRequestContext, expect } from '@playwright/test';

/** The fake Douban that playwright.config.ts starts; its `/__fake/*` control plane drives the specs. */
export const FAKE_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT_BASE ?? 4210)}`;

type Command =
  | { path: 'score'; body: { city: string; id: string; score: number | null; votes?: number } }
  | { path: 'add'; body: { city: string; id: string; title: string; score: number | null } }
  | { path: 'remove'; body: { city: string; id: string } }
  | { path: 'mode'; body: { city?: string; mode: string } };

/** Sends one command to the fake Douban and checks that it took it. */
export async function commandFake(request: APIRequestContext, { path, body }: Command): Promise<void> {
  const response = await request.post(`${FAKE_URL}/__fake/${path}`, { data: body });
  expect(response.ok(), `POST /__fake/${path}: ${await response.text()}`).toBe(true);
}

async function countRequests(request: APIRequestContext, city: string): Promise<number> {
  const response = await request.get(`${FAKE_URL}/__fake/requests?city=${city}`);
  return ((await response.json()) as { count: number }).count;
}

/**
 * Puts the recorded pages back and waits until the app's shanghai board is built from them: the app
 * polls on its own while someone watched in the last minute, and GET /api/movies polls when one is
 * due. Two page requests after the reset mean the first one's answer was applied, so no spec sees
 * what the previous one changed.
 */
export async function resetFake(request: APIRequestContext): Promise<void> {
  const response = await request.post(`${FAKE_URL}/__fake/reset`);
  expect(response.ok()).toBe(true);
  await expect
    .poll(
      async () => {
        await request.get('/api/movies?city=shanghai');
        return countRequests(request, 'shanghai');
      },
      { message: 'the app polls the reset fake Douban', timeout: 15_000 },
    )
    .toBeGreaterThanOrEqual(2);
}
