import type { Movie, MovieCategory, NowPlayingPage } from '@/lib/types';
import { makeMovie } from './make-movie';

/**
 * Two pages of the same city, as two polls of Douban may find them, drawn from `seed` (the same seed
 * always gives the same pages, so a failing case can be replayed by its seed). The ids come from one
 * pool, each at most once per page, as the parser guarantees; between `before` and `after` movies
 * appear, disappear, change fields, move between now playing and upcoming, and each list is either
 * reshuffled or keeps its order with newcomers placed at the front or anywhere. Lists are often empty.
 */
export function makeRandomBoards(seed: number): { before: NowPlayingPage; after: NowPlayingPage } {
  const random = createRandom(seed);
  const size = random.chance(0.1) ? 20 + random.int(40) : random.int(10);
  const pool = Array.from({ length: size }, (_, index) => String(1000 + index));

  const before = new Map<string, Movie>();
  for (const id of pool) {
    const roll = random.next();
    if (roll < 0.4) before.set(id, randomMovie(random, id, 'nowplaying'));
    else if (roll < 0.7) before.set(id, randomMovie(random, id, 'upcoming'));
  }
  const after = new Map<string, Movie>();
  for (const id of pool) {
    const old = before.get(id);
    const roll = random.next();
    if (!old) {
      if (roll < 0.35) after.set(id, randomMovie(random, id, random.pick(['nowplaying', 'upcoming'])));
    } else if (roll < 0.15) {
      // Gone from Douban's page.
    } else if (roll < 0.3) {
      const other = old.category === 'nowplaying' ? 'upcoming' : 'nowplaying';
      after.set(id, random.chance(0.5) ? { ...old, category: other } : randomMovie(random, id, other));
    } else if (roll < 0.55) {
      after.set(id, { ...old, ...randomChange(random, id) });
    } else {
      // Unchanged, but a fresh object, as a new parse of the page gives.
      after.set(id, structuredClone(old));
    }
  }

  const beforePage = {
    nowPlaying: random.shuffle(listOf(before, 'nowplaying')),
    upcoming: random.shuffle(listOf(before, 'upcoming')),
  };
  const arrange = (category: MovieCategory, previous: Movie[]) => {
    const movies = listOf(after, category);
    if (random.chance(0.3)) return random.shuffle(movies);
    // Douban kept its order: the movies still in this list keep their places, newcomers go in.
    const ids = new Set(movies.map((movie) => movie.id));
    const staying = previous
      .filter((movie) => ids.has(movie.id))
      .map((movie) => after.get(movie.id) as Movie);
    const stayingIds = new Set(staying.map((movie) => movie.id));
    const newcomers = random.shuffle(movies.filter((movie) => !stayingIds.has(movie.id)));
    if (random.chance(0.5)) return [...newcomers, ...staying];
    const list = [...staying];
    for (const movie of newcomers) list.splice(random.int(list.length + 1), 0, movie);
    return list;
  };
  return {
    before: beforePage,
    after: {
      nowPlaying: arrange('nowplaying', beforePage.nowPlaying),
      upcoming: arrange('upcoming', beforePage.upcoming),
    },
  };
}

type Random = ReturnType<typeof createRandom>;

function listOf(movies: Map<string, Movie>, category: MovieCategory): Movie[] {
  return [...movies.values()].filter((movie) => movie.category === category);
}

function randomMovie(random: Random, id: string, category: MovieCategory): Movie {
  if (category === 'upcoming') {
    return makeMovie(id, {
      category,
      score: null,
      votes: null,
      stars: null,
      year: null,
      releaseDate: random.pick(['12月06日上映', '12月24日上映', null]),
      wish: random.int(5000),
    });
  }
  return makeMovie(id, { category, ...randomChange(random, id) });
}

/** One field or two changed the way Douban changes them between polls. */
function randomChange(random: Random, id: string): Partial<Movie> {
  const changes: Partial<Movie>[] = [
    { score: random.pick([null, 6.1, 7, 8.5, 9.2]) },
    { votes: random.int(100_000) },
    { title: random.pick([`电影${id}`, `电影${id}（重映）`]) },
    { actors: random.pick([[], ['甲'], ['甲', '乙'], ['乙', '甲']]) },
    {
      posterUrl: random.pick([null, `https://img1.doubanio.com/view/photo/s_ratio_poster/public/p${id}.jpg`]),
    },
    { ticketUrl: random.pick([null, `https://movie.douban.com/ticket/redirect/?movie_id=${id}`]) },
  ];
  return { ...random.pick(changes), ...(random.chance(0.3) ? random.pick(changes) : {}) };
}

/** mulberry32: a small seeded generator, so the cases are the same on every run. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index -= 1) {
        const other = int(index + 1);
        [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
      }
      return copy;
    },
  };
}
