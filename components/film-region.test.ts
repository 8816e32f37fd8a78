import { describe, expect, it } from 'vitest';
import { filmRegion } from './film-region';

describe('filmRegion', () => {
  it("is 华语 for the mainland, Hong Kong, Taiwan and Macau, in both of Douban's spellings", () => {
    for (const region of ['中国大陆', '中国香港', '中国台湾', '中国澳门', '香港', '台湾', '澳门']) {
      expect(filmRegion({ regions: [region] }), region).toBe('cn');
    }
  });

  it('goes by the first region of a co-production', () => {
    // 山河故人 and 巨齿鲨, as the recorded pages list them.
    expect(filmRegion({ regions: ['中国大陆', '法国', '日本'] })).toBe('cn');
    expect(filmRegion({ regions: ['美国', '中国大陆', '香港'] })).toBe('intl');
  });

  it('is 外语 for other regions, and unknown without a region', () => {
    expect(filmRegion({ regions: ['日本'] })).toBe('intl');
    expect(filmRegion({ regions: ['新加坡', '中国大陆'] })).toBe('intl');
    expect(filmRegion({ regions: [] })).toBeNull();
  });
});
