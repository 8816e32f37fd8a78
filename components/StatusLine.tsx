import type { BoardSnapshot, BoardStatus } from '@/lib/types';
import { formatDate, formatTime } from './format-time';
import type { ConnectionState } from './use-board-stream';

export type StatusState = 'live' | 'stale' | 'degraded' | 'connecting' | 'reconnecting';

function upstreamText(board: BoardSnapshot, status: BoardStatus | null): string {
  if (board.source === 'none') {
    const failed = status?.reason && status.reason !== 'not-fetched-yet';
    return failed ? '豆瓣暂时无法访问，还没有这个城市的数据' : '还没有这个城市的数据，正在向豆瓣获取…';
  }
  if (board.source === 'saved') return `豆瓣暂时无法访问，显示 ${formatDate(board.fetchedAt)} 保存的数据`;
  const since = status?.lastSuccessAt ?? board.fetchedAt;
  return `豆瓣暂时无法访问，显示 ${formatDate(since)} ${formatTime(since)} 的数据`;
}

/**
 * One line on the health of what is on screen: the connection to our server first, then Douban's
 * (live, or stale with the time of the data shown), and when the board last changed.
 */
export function StatusLine({
  board,
  connection,
  status,
  lastChangeAt,
}: {
  board: BoardSnapshot;
  connection: ConnectionState;
  status: BoardStatus | null;
  lastChangeAt: string | null;
}) {
  const degraded = status?.state === 'degraded';
  const stale = !degraded && (board.source !== 'douban' || (status ? status.state === 'stale' : board.stale));
  const state: StatusState =
    connection === 'open' ? (degraded ? 'degraded' : stale ? 'stale' : 'live') : connection;
  const messages: string[] = [];
  if (connection === 'connecting') messages.push('正在连接实时更新…');
  if (connection === 'reconnecting') messages.push('连接中断，正在重新连接…');
  if (degraded) messages.push('服务器暂时与集群失去联系，显示最后收到的数据，恢复后自动更新');
  else if (stale) messages.push(upstreamText(board, status));
  else if (connection === 'open')
    messages.push(
      status?.reason === 'douban-budget'
        ? '实时更新中；访问豆瓣的次数已到上限，这个城市更新放缓'
        : '实时更新中',
    );
  const when = lastChangeAt
    ? `最近变化 ${formatTime(lastChangeAt)}`
    : !stale && board.fetchedAt && `数据获取于 ${formatTime(board.fetchedAt)}`;

  // Only the state is a live region: the time of the last change moves with every update, which the
  // board's own region (ChangeAnnouncer) already tells in one sentence.
  return (
    <p className="status-line" data-testid="status-line" data-state={state}>
      <span className="status-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {messages.join('；')}
      </span>
      {when && (
        <span className="status-when">
          <span className="visually-hidden">；</span>
          {when}
        </span>
      )}
    </p>
  );
}
