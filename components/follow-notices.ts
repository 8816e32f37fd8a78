import { useSyncExternalStore } from 'react';
import type { FollowEvent } from './detect-follow-events';

/** The most notices a page shows; older ones are dropped. */
const NOTICES_MAX = 5;

let notices: readonly FollowEvent[] = [];
const listeners = new Set<() => void>();

function publish(next: readonly FollowEvent[]) {
  notices = next;
  for (const listener of listeners) listener();
}

/** Shows a notice in this tab's notice area (the tab that told the news; the others do not). */
export function addFollowNotice(event: FollowEvent): void {
  publish([...notices.filter((notice) => notice.key !== event.key), event].slice(-NOTICES_MAX));
}

export function dismissFollowNotice(key: string): void {
  publish(notices.filter((notice) => notice.key !== key));
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

const none: readonly FollowEvent[] = [];

/** This tab's notices, oldest first. */
export function useFollowNotices(): readonly FollowEvent[] {
  return useSyncExternalStore(
    subscribe,
    () => notices,
    () => none,
  );
}
