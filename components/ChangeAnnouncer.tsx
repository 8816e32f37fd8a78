import type { Announcement } from './use-coalesced-announcement';

/**
 * A page's one polite live region for changes (the board's, a film page's), hidden from the eye (the
 * cards and the film's values show them). It is rendered empty with the page, so screen readers
 * watch it before the first sentence arrives; each sentence is a new node, so a repeated one is
 * announced again. It never takes focus.
 */
export function ChangeAnnouncer({ announcement }: { announcement: Announcement | null }) {
  return (
    <div
      className="visually-hidden"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="change-announcer"
    >
      {announcement && <span key={announcement.seq}>{announcement.text}</span>}
    </div>
  );
}
