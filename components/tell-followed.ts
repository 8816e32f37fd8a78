import type { FollowEvent } from './detect-follow-events';
import { addFollowNotice } from './follow-notices';
import { claimEvents } from './told-events';
import { toldEventsStore } from './viewer-stores';

/** The Web Lock every tab of the site takes to read and write the told record. */
const TELL_LOCK = 'now-showing:tell';

function notifySystem(event: FollowEvent) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    // `tag`: should the record ever be lost, the system still shows one notification per news.
    new Notification('正在上映 · 关注', { body: event.text, tag: event.key, lang: 'zh-CN' });
  } catch {
    // Some mobile browsers allow notifications only from a service worker: the in-page notice stays.
  }
}

function claimAndTell(events: FollowEvent[]) {
  const { told, fresh } = claimEvents({ told: toldEventsStore.read(), events, now: Date.now() });
  if (fresh.length === 0) return;
  toldEventsStore.write(told);
  for (const event of fresh) {
    addFollowNotice(event);
    notifySystem(event);
  }
}

/**
 * Tells the viewer the news of films they follow, once per browser whichever tabs are open: every
 * tab that sees an update detects the same news, and only the first to take the lock finds it
 * untold, records it and tells it (a notice in its page, and a system notification when allowed).
 * Without Web Locks (old browsers) it is best effort: two tabs may both tell. The lock is asked
 * for at once, so a later request (another update, another tab) is served after this one.
 * https://w3c.github.io/web-locks/#api-lock-manager-request
 */
export function tellFollowed(events: FollowEvent[]): void {
  if (events.length === 0) return;
  if (typeof navigator !== 'undefined' && navigator.locks) {
    void navigator.locks.request(TELL_LOCK, () => claimAndTell(events));
  } else {
    claimAndTell(events);
  }
}
