'use client';

import { useRouter } from 'next/navigation';
import { type KeyboardEvent, useEffect, useId, useMemo, useState, useTransition } from 'react';
import type { City } from '@/lib/types';
import {
  type BoardView,
  boardViewHref,
  DEFAULT_BOARD_VIEW,
  parseBoardView,
  serializeBoardView,
} from './board-view';
import { findCities } from './find-cities';

/**
 * A searchable city combobox (Chinese name or pinyin), hot cities first. Choosing a city navigates
 * to `/?city=<slug>` with the board's view (sort, filters), which renders that board and moves the
 * subscription. Without JavaScript it is a plain GET form: the city, and the view the page was
 * rendered with (`view`) in hidden fields.
 * https://www.w3.org/WAI/ARIA/apg/patterns/combobox/
 */
export function CityPicker({
  cities,
  current,
  view = DEFAULT_BOARD_VIEW,
}: {
  cities: City[];
  current: City | null;
  view?: BoardView;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [query, setQuery] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const id = useId();
  const matches = useMemo(() => findCities(cities, query ?? ''), [cities, query]);
  const activeCity = open ? matches[active] : undefined;
  const optionId = (city: City) => `${id}-option-${city.slug}`;
  const activeId = activeCity && optionId(activeCity);

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const close = () => {
    setOpen(false);
    setQuery(null);
  };
  const choose = (city: City) => {
    close();
    if (city.slug === current?.slug) return;
    // The board's sort and filters travel to the next city.
    const view = parseBoardView(new URLSearchParams(window.location.search));
    startTransition(() => router.push(boardViewHref({ city: city.slug, view })));
  };
  const move = (to: number) => {
    setOpen(true);
    setActive(Math.max(0, Math.min(matches.length - 1, to)));
  };
  // Opening the full list starts at the city on screen.
  const start = () => (query === null ? matches.findIndex((city) => city.slug === current?.slug) : 0);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        move(open ? active + 1 : start());
        break;
      case 'ArrowUp':
        move(open ? active - 1 : start());
        break;
      case 'Escape':
        close();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <form
      className="city-picker"
      data-testid="city-picker"
      action="/"
      method="get"
      aria-busy={pending}
      onSubmit={(event) => {
        event.preventDefault();
        const city = activeCity ?? (query === null ? undefined : matches[0]);
        if (city) choose(city);
      }}
    >
      <label className="field-label" htmlFor={`${id}-input`}>
        城市
      </label>
      <div className="combobox">
        <input
          id={`${id}-input`}
          name="city"
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-listbox`}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          autoComplete="off"
          placeholder="搜索城市，中文或拼音"
          value={query ?? current?.name ?? ''}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={(event) => event.target.select()}
          onClick={() => {
            if (!open) move(start());
          }}
          onBlur={close}
          onKeyDown={onKeyDown}
        />
        <div className="city-options" id={`${id}-listbox`} role="listbox" aria-label="城市" hidden={!open}>
          {open &&
            matches.map((city, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled on the combobox input, which keeps focus.
              <div
                key={city.slug}
                id={optionId(city)}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                className="city-option"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(city)}
              >
                {city.name}
                <span className="city-slug">{city.slug}</span>
              </div>
            ))}
        </div>
        {open && matches.length === 0 && <p className="city-none">没有找到这个城市</p>}
      </div>
      {/* Only what the form submits without JavaScript: `choose` reads the address bar, which the board
          keeps current. Defaults are left out, as in the board's URLs. */}
      {[...serializeBoardView(view)].map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {pending && <span className="city-pending">切换中…</span>}
    </form>
  );
}
