import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import Redis, { type RedisOptions } from 'ioredis';
import { logEvent } from '@/lib/log';
import { redisRetryStrategy } from '@/lib/redis/open-command-connection';
import type { Bus, BusMessage, BusState, Lease, StoredBoard } from './bus';
import { BadBusMessage, parseBusMessage } from './parse-bus-message';
import { parseFailures } from './parse-failures';
import { parsePolledAt } from './parse-polled-at';
import {
  acquireScript,
  nextVersionScript,
  publishScript,
  recordFailuresScript,
  releaseScript,
  takeTokenScript,
} from './redis-scripts';

/**
 * The cluster bus on Redis (any Redis 6+, Upstash included). Per city: a lease (`SET NX PX`, renewed
 * while polling) so one instance polls, one version sequence, the current snapshot and status, and
 * the history as a Stream capped with MAXLEN. Events travel on ONE pub/sub channel through ONE
 * subscriber connection per process, whatever the number of cities and streams. Connections retry
 * with capped exponential backoff; while Redis is away the state is `down` and commands fail fast.
 */
export function createRedisBus({
  url,
  prefix,
  historyLimit,
  leaseMs,
}: {
  url: string;
  prefix: string;
  historyLimit: number;
  leaseMs: number;
}): Bus {
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const channel = `${prefix}events`;
  const key = (kind: string, city: string) => `${prefix}${kind}:${city}`;
  const options: RedisOptions = {
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: redisRetryStrategy,
  };
  // Commands fail at once while disconnected (the caller serves what it has); subscriptions wait.
  // A Redis that stops answering without closing the socket must not hang requests either.
  const command = new Redis(url, { ...options, enableOfflineQueue: false, commandTimeout: 2_000 });
  const subscriber = new Redis(url, options);
  const listeners = new Set<(message: BusMessage) => void>();
  const stateListeners = new Set<(state: BusState) => void>();
  let state: BusState = 'down';
  let subscribed = false;

  const updateState = () => {
    const ready = command.status === 'ready' && subscriber.status === 'ready' && subscribed;
    const next: BusState = ready ? 'ready' : 'down';
    if (next === state) return;
    state = next;
    logEvent(next === 'ready' ? 'info' : 'warn', next === 'ready' ? 'redis-ready' : 'redis-down', {
      instance,
    });
    for (const listener of stateListeners) listener(next);
  };
  // Subscribe on every (re)connection: a subscription that failed while Redis was away is not one
  // ioredis would restore, and the bus is only ready once events can arrive.
  const subscribe = () => {
    subscriber.subscribe(channel).then(
      () => {
        subscribed = true;
        updateState();
      },
      (error: Error) => logEvent('warn', 'redis-subscribe-failed', { error: error.message }),
    );
  };
  subscriber.on('ready', subscribe);
  subscriber.on('close', () => {
    subscribed = false;
  });
  for (const connection of [command, subscriber]) {
    connection.on('ready', updateState);
    connection.on('close', updateState);
    connection.on('end', updateState);
    connection.on('error', (error: Error) => logEvent('debug', 'redis-error', { error: error.message }));
  }
  subscriber.on('message', (_channel: string, raw: string) => {
    let message: BusMessage;
    try {
      message = parseBusMessage(raw);
    } catch (error) {
      if (!(error instanceof BadBusMessage)) throw error;
      logEvent('warn', 'bad-bus-message', { why: error.message, bytes: raw.length });
      return;
    }
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (error) {
        // Inside ioredis's reply parser a throw would take the process down: log it instead.
        logEvent('error', 'bus-listener-crashed', { city: message.city, error: String(error) });
      }
    }
  });

  /** Lets a first read wait for the connection being opened at start, rather than fail at once. */
  const connected = (ms: number) =>
    state === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            stateListeners.delete(done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          stateListeners.add(done);
        });

  const lease = (city: string): Lease => ({
    async acquire() {
      const held = (await command.eval(
        acquireScript,
        3,
        key('lease', city),
        key('polled', city),
        key('failures', city),
        instance,
        leaseMs,
      )) as [string, string] | null;
      if (held === null) return null;
      const [polled, failed] = held;
      const lastPolledAt = parsePolledAt(polled);
      if (polled !== '' && lastPolledAt === null)
        logEvent('warn', 'bad-polled-time', { city, bytes: polled.length });
      const failures = parseFailures(failed);
      if (failed !== '' && failures === null)
        logEvent('warn', 'bad-failure-count', { city, bytes: failed.length });
      return { lastPolledAt, failures: failures ?? 0 };
    },
    async recordFailures(count) {
      await command.eval(recordFailuresScript, 2, key('lease', city), key('failures', city), instance, count);
    },
    async markPolled(at) {
      await command.set(key('polled', city), String(at), 'PX', 86_400_000);
    },
    async release() {
      await command.eval(releaseScript, 1, key('lease', city), instance);
    },
  });

  return {
    mode: 'redis',
    instance,
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(message, snapshot) {
      const { city } = message;
      const stored = message.name === 'status' ? message.data : (snapshot ?? '');
      const done = await command.eval(
        publishScript,
        5,
        key('lease', city),
        key('snapshot', city),
        key('history', city),
        key('status', city),
        key('head', city),
        instance,
        channel,
        JSON.stringify(message),
        message.name,
        stored,
        historyLimit,
        message.name === 'update' ? String(message.previous) : '',
        String(message.version ?? ''),
      );
      return done === 1;
    },
    async nextVersion(city, previous) {
      return Number(await command.eval(nextVersionScript, 1, key('version', city), Date.now(), previous));
    },
    async load(city): Promise<StoredBoard> {
      await connected(options.connectTimeout ?? 2_000);
      // One transaction, so the snapshot and the history's last entry are the same version.
      const replies = await command
        .multi()
        .get(key('snapshot', city))
        .get(key('status', city))
        .xrevrange(key('history', city), '+', '-', 'COUNT', historyLimit)
        .exec();
      const failed = replies?.find(([error]) => error)?.[0];
      if (!replies || failed) throw failed ?? new Error('transaction aborted');
      const snapshot = replies[0]?.[1] as string | null;
      const status = replies[1]?.[1] as string | null;
      const entries = replies[2]?.[1] as Array<[string, string[]]>;
      const history: BusMessage[] = [];
      for (const [, fields] of entries.reverse()) {
        try {
          history.push(parseBusMessage(fields[fields.indexOf('m') + 1]));
        } catch (error) {
          logEvent('warn', 'bad-bus-message', { city, why: (error as Error).message, from: 'history' });
        }
      }
      return { snapshot, status, history };
    },
    lease,
    async takeToken({ name, perSecond, burst, threshold }) {
      const [taken, waitMs] = (await command.eval(
        takeTokenScript,
        1,
        key('budget', name),
        perSecond,
        burst,
        threshold,
      )) as [number, string];
      return { taken: taken === 1, waitMs: Number(waitMs) };
    },
  };
}
