'use client';

import { useEffect } from 'react';

/** A render error of the page (a bug, or the board failing to load): say so and offer a retry. */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main className="page">
      <section className="notice" role="alert">
        <h1>影讯暂时打不开</h1>
        <p>出了点问题，不是你的错。可以稍后再试，或者回到首页。</p>
        <p className="notice-actions">
          <button type="button" className="button" onClick={() => retry()}>
            重试
          </button>
          <a href="/">回到首页</a>
        </p>
      </section>
    </main>
  );
}
