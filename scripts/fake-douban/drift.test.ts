import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { driftPage } from './drift';
import { createPageModel, type PageModel } from './page-model';
import { startFakeDouban } from './start-fake-douban';

const recorded = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/douban/${name}`, import.meta.url)), 'utf8');

/** A small seeded PRNG (mulberry32) so that every run drifts the same way. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const scores = (model: PageModel) => new Map(model.movieIds().map((id) => [id, model.scoreOf(id)]));

describe('driftPage', () => {
  it('moves one or two rated scores by 0.1 and grows their votes', () => {
    const model = createPageModel(recorded('nowplaying-shanghai.html'));
    const random = seeded(7);
    for (let tick = 0; tick < 20; tick++) {
      const before = scores(model);
      const votesBefore = new Map(model.movieIds().map((id) => [id, model.votesOf(id)]));
      driftPage({ model, churn: false, random });
      const moved = model.movieIds().filter((id) => model.scoreOf(id) !== before.get(id));
      expect(moved.length).toBeGreaterThanOrEqual(1);
      expect(moved.length).toBeLessThanOrEqual(2);
      for (const id of moved) {
        expect(Math.abs((model.scoreOf(id) as number) - (before.get(id) as number))).toBeCloseTo(0.1, 5);
        expect(model.votesOf(id)).toBeGreaterThan(votesBefore.get(id) as number);
      }
      // Unrated movies stay unrated.
      for (const [id, score] of before) if (score === null) expect(model.scoreOf(id)).toBeNull();
    }
  });

  it('now and then removes a movie or brings a removed one back, keeping the page parseable', () => {
    const model = createPageModel(recorded('nowplaying-shangrao-2018.html'));
    const random = seeded(42);
    const counts = new Set<number>();
    for (let tick = 0; tick < 30; tick++) {
      driftPage({ model, churn: true, random });
      const ids = model.movieIds();
      counts.add(ids.length);
      const parsed = parse(model.render()).querySelectorAll('#nowplaying li.list-item');
      expect(parsed.map((li) => li.id)).toEqual(ids);
      expect(model.removedIds().every((id) => !ids.includes(id))).toBe(true);
      expect(ids.length + model.removedIds().length).toBe(21);
    }
    expect(counts.size).toBeGreaterThan(1);
  });
});

describe('startFakeDouban({ driftMs })', () => {
  it('drifts the shanghai and shangrao pages on a timer, and no other city', async () => {
    const fake = await startFakeDouban({ driftMs: 20 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const text = async (city: string) => (await fetch(`${fake.url}/cinema/nowplaying/${city}/`)).text();
      expect(await text('shanghai')).not.toBe(recorded('nowplaying-shanghai.html'));
      expect(await text('shangrao')).not.toBe(recorded('nowplaying-shangrao-2018.html'));
      expect(await text('beijing')).toBe(recorded('nowplaying-shanghai.html'));
      const items = parse(await text('shanghai')).querySelectorAll('#nowplaying li.list-item');
      expect(items.length).toBeGreaterThan(80);
      for (const li of items) expect(li.getAttribute('data-score')).toMatch(/^(0|\d\.\d|10\.0)$/);
    } finally {
      await fake.close();
    }
  });
});
