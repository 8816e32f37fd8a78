import type { City } from '@/lib/types';

/**
 * What a film page without a film shows: a malformed id, or a film no poll has seen. Rendered by the
 * page itself rather than through `notFound()`: Next 16 answers a page that throws `notFound()` with
 * an empty error shell that only JavaScript fills, and this page must work without it.
 */
export function FilmMissing({ reason, id, city }: { reason: 'bad-id' | 'unseen'; id: string; city: City }) {
  const shown = Array.from(id).slice(0, 40).join('');
  return (
    <main className="page">
      <header className="masthead">
        <h1>正在上映</h1>
      </header>
      <section className="notice" aria-labelledby="film-missing" data-testid="film-missing">
        {reason === 'bad-id' ? (
          <>
            <h2 id="film-missing">没有这部电影</h2>
            <p>“{shown}” 不是豆瓣电影的编号：编号是豆瓣电影页地址里的数字，例如 36154853。</p>
          </>
        ) : (
          <>
            <h2 id="film-missing">还没有这部电影的记录</h2>
            <p>我们还没有在片单上看到它。历史从第一次看到一部电影时开始，此前的数值不会有。</p>
          </>
        )}
        <p>
          <a href={`/?city=${city.slug}`}>回到{city.name}的影讯</a>
        </p>
      </section>
    </main>
  );
}
