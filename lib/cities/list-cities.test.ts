import { describe, expect, it } from 'vitest';
import { listCities } from './list-cities';

describe('listCities', () => {
  const cities = listCities();

  it('lists the 343 cities of Douban’s picker, each once', () => {
    expect(cities).toHaveLength(343);
    expect(new Set(cities.map((city) => city.slug)).size).toBe(343);
  });

  it('puts the 25 hot cities first, in the picker’s order', () => {
    expect(cities.slice(0, 4)).toEqual([
      { slug: 'beijing', name: '北京', hot: true },
      { slug: 'shanghai', name: '上海', hot: true },
      { slug: 'guangzhou', name: '广州', hot: true },
      { slug: 'shenzhen', name: '深圳', hot: true },
    ]);
    expect(cities.filter((city) => city.hot)).toEqual(cities.slice(0, 25));
    expect(cities[25]).toEqual({ slug: 'anqing', name: '安庆', hot: false });
  });

  it('keeps numeric slugs and both cities named 吉林', () => {
    expect(cities).toContainEqual({ slug: '118378', name: '榆林', hot: false });
    expect(cities.filter((city) => city.name === '吉林').map((city) => city.slug)).toEqual([
      'jilin',
      'jilinsheng',
    ]);
  });

  it('returns a copy that callers cannot use to change the list', () => {
    listCities()[0].name = 'changed';
    listCities().pop();
    expect(listCities()).toEqual(cities);
  });
});
