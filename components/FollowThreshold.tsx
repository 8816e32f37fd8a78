'use client';

import type { FormEvent } from 'react';
import { useFilmMark } from './use-film-marks';

/** A followed film's threshold (评分提醒线): told when its score reaches it or falls below it. */
export function FollowThreshold({ id }: { id: string }) {
  const { mark, change } = useFilmMark(id);
  if (!mark?.follow) return null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('threshold');
    const threshold = Math.round(Number(value) * 10) / 10;
    change({ threshold: value === '' || !(threshold >= 1 && threshold <= 10) ? undefined : threshold });
  };
  const set = mark.threshold?.toFixed(1);
  return (
    <form className="threshold" onSubmit={onSubmit} data-testid="follow-threshold">
      <label className="field">
        <span className="field-label">评分提醒线</span>
        <input
          name="threshold"
          type="number"
          min="1"
          max="10"
          step="0.1"
          defaultValue={set}
          placeholder="如 8.0"
        />
      </label>
      <button type="submit" className="chip">
        设定
      </button>
      <span className="threshold-note">
        {set ? `评分达到或低于 ${set} 时提醒你` : '不设则只提醒开分与上映'}
      </span>
    </form>
  );
}
