'use client';

import { useEffect, useState } from 'react';
import { dismissFollowNotice, useFollowNotices } from './follow-notices';
import { useMine } from './use-film-marks';

type Permission = NotificationPermission | 'unsupported';

/**
 * The page's notices about followed films (those this tab told: each news is told in one tab only),
 * and the button that asks for system notifications: the only place that asks, never on load.
 */
export function FollowNotices() {
  const notices = useFollowNotices();
  const { followed } = useMine();
  // Read after hydration: the server knows nothing of the browser's permission.
  const [permission, setPermission] = useState<Permission | null>(null);
  useEffect(() => {
    setPermission(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  }, []);

  const ask = async () => {
    setPermission(await Notification.requestPermission());
  };
  return (
    <div className="follow-notices" data-testid="follow-notices">
      <ul role="status" className="follow-notice-list">
        {notices.map((notice) => (
          <li
            key={notice.key}
            className="follow-notice"
            data-testid="follow-notice"
            data-movie-id={notice.id}
          >
            <span>{notice.text}</span>
            <button
              type="button"
              className="follow-notice-close"
              aria-label={`关闭提醒：${notice.text}`}
              onClick={() => dismissFollowNotice(notice.key)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {followed.size > 0 && permission === 'default' && (
        <button type="button" className="chip" onClick={ask}>
          开启系统通知
        </button>
      )}
      {followed.size > 0 && permission === 'denied' && (
        <p className="follow-denied">浏览器已阻止本站的通知，关注的消息只显示在页面里。</p>
      )}
    </div>
  );
}
