import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './create-token-bucket';

describe('createTokenBucket', () => {
  it('starts full, empties, then gains its rate a second and says how long to wait', () => {
    let time = 0;
    const bucket = createTokenBucket({ perSecond: 4, burst: 3, now: () => time });
    for (let i = 0; i < 3; i++) {
      expect(bucket.wait()).toBe(0);
      bucket.take();
    }
    expect(bucket.wait()).toBe(250);
    time += 100;
    expect(bucket.wait()).toBe(150);
    time += 150;
    expect(bucket.wait()).toBe(0);
    bucket.take();
    expect(bucket.wait()).toBe(250);
  });

  it('never saves up more than its burst, however long it rests', () => {
    let time = 0;
    const bucket = createTokenBucket({ perSecond: 10, burst: 2, now: () => time });
    time += 60_000;
    bucket.take();
    bucket.take();
    expect(bucket.wait()).toBe(100);
  });

  it('makes a caller that asks for more tokens than one wait until they are there (at most its burst)', () => {
    const time = 0;
    const bucket = createTokenBucket({ perSecond: 10, burst: 5, now: () => time });
    bucket.take();
    bucket.take();
    expect(bucket.wait(3)).toBe(0);
    expect(bucket.wait(4)).toBe(100);
    expect(bucket.wait(50)).toBe(200);
    bucket.take();
    expect(bucket.wait()).toBe(0);
    expect(bucket.wait(3)).toBe(100);
  });
});
