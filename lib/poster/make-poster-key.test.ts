import { describe, expect, it } from 'vitest';
import { makePosterKey } from './make-poster-key';
import { parsePosterUrl } from './parse-poster-url';

describe('makePosterKey', () => {
  it('gives one key to one photo whichever image host serves it', () => {
    const path = '/view/photo/s_ratio_poster/public/p2915454411.jpg';
    const keys = new Set(
      [1, 2, 3, 9].map((n) => makePosterKey(parsePosterUrl(`https://img${n}.doubanio.com${path}`))),
    );
    expect([...keys]).toEqual([`doubanio${path}`]);
  });

  it('gives different photos different keys', () => {
    const key = (name: string) =>
      makePosterKey(parsePosterUrl(`https://img1.doubanio.com/view/photo/public/${name}.jpg`));
    expect(key('p1')).not.toBe(key('p2'));
    expect(key('p1')).not.toBe(
      makePosterKey(parsePosterUrl('https://img1.doubanio.com/view/photo/public/p1.png')),
    );
  });
});
