'use client';

import { useSyncExternalStore } from 'react';
import { useFilmMark } from './use-film-marks';

const subscribeNever = () => () => {};

const MARKS = [
  { flag: 'follow', label: '关注' },
  { flag: 'wish', label: '想看' },
  { flag: 'seen', label: '看过' },
] as const;

/**
 * 关注 / 想看 / 看过 on one film, kept in this browser only (localStorage) and shared by its tabs.
 * Toggle buttons (`aria-pressed`) whose names stay the same; a pressed one is filled and ticked.
 */
export function FilmMarkButtons({ id, title }: { id: string; title: string }) {
  const { mark, change } = useFilmMark(id);
  // Rendered in the browser only: without JavaScript they could not work, so they are not shown.
  const hydrated = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  if (!hydrated) return null;
  return (
    <fieldset className="film-marks">
      <legend className="visually-hidden">我的标记：{title}</legend>
      {MARKS.map(({ flag, label }) => {
        const pressed = mark?.[flag] === true;
        return (
          <button
            key={flag}
            type="button"
            className="chip"
            aria-pressed={pressed}
            data-testid={`mark-${flag}`}
            onClick={() => change({ [flag]: !pressed })}
          >
            {pressed && <span aria-hidden="true">✓</span>}
            {label}
          </button>
        );
      })}
    </fieldset>
  );
}
