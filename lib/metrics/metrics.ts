import 'server-only';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric of the process, in one registry served by GET /api/metrics. Built once per
 * process by the composition root (`getServices`): Next's route bundles and the production server
 * each import lib/, and two registries would each count half of what happens.
 *
 * Counters are bumped where the thing happens, once per broadcast rather than once per stream
 * write (`inc(n)`), so a change sent to 10,000 streams costs one increment.
 */
export function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'now-showing' });
  // Process memory, CPU, event-loop lag and GC: what an operator checks first.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    streamsOpen: new Gauge({
      name: 'nowshowing_streams_open',
      help: 'Event streams open now, by city.',
      labelNames: ['city'],
      registers,
    }),
    streamsClosed: new Counter({
      name: 'nowshowing_streams_closed_total',
      help: 'Event streams ended, by why (aborted, cancelled, write-failed, slow-client, max-duration, shutdown).',
      labelNames: ['reason'],
      registers,
    }),
    streamsRejected: new Counter({
      name: 'nowshowing_streams_rejected_total',
      help: 'Stream requests refused, by reason (cross-site, bad-request, ip-limit, total-limit, shutting-down).',
      labelNames: ['reason'],
      registers,
    }),
    streamsUnshared: new Counter({
      name: 'nowshowing_streams_unshared_total',
      help: "Streams let in on this process's own per-IP count: the cluster's count in Redis could not be asked.",
      registers,
    }),
    slowClientsDropped: new Counter({
      name: 'nowshowing_slow_clients_dropped_total',
      help: 'Streams closed because the client fell too far behind (it resumes by Last-Event-ID).',
      labelNames: ['city'],
      registers,
    }),
    eventsSent: new Counter({
      name: 'nowshowing_events_sent_total',
      help: 'SSE events written to streams (snapshot, update, status, replayed), by city.',
      labelNames: ['city'],
      registers,
    }),
    bytesSent: new Counter({
      name: 'nowshowing_bytes_sent_total',
      help: 'Bytes written to event streams, heartbeats included.',
      registers,
    }),
    upstreamFetchSeconds: new Histogram({
      name: 'nowshowing_upstream_fetch_duration_seconds',
      help: "Time to fetch and parse one city's Douban page, by outcome (ok or failed).",
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    upstreamFailures: new Counter({
      name: 'nowshowing_upstream_failures_total',
      help: 'Polls of Douban that gave no usable page, by reason (http-418, redirect, timeout, suspicious-drop...).',
      labelNames: ['reason'],
      registers,
    }),
    pollsThrottled: new Counter({
      name: 'nowshowing_polls_throttled_total',
      help: "Due polls that Douban's request budget (DOUBAN_MAX_RPM) held back, once per poll.",
      registers,
    }),
    parseSeconds: new Histogram({
      name: 'nowshowing_parse_duration_seconds',
      help: 'Time to decode and parse one Douban page, waiting for the parse worker included, by thread (worker, or main where the worker is not built).',
      labelNames: ['thread'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    parserItemsDropped: new Counter({
      name: 'nowshowing_parser_items_dropped_total',
      help: 'Items of Douban pages the parser left out, by reason (bad-id, no-title, duplicate, in-both-lists, too-many-movies, invalid); counted on every poll that sees them.',
      labelNames: ['reason'],
      registers,
    }),
    parserFieldsTrimmed: new Counter({
      name: 'nowshowing_parser_fields_trimmed_total',
      help: 'Fields of Douban items the parser cut to their cap (title, regions, directors, actors, duration, releaseDate) or emptied (posterUrl, ticketUrl), by field; counted on every poll.',
      labelNames: ['field'],
      registers,
    }),
    posterRequests: new Counter({
      name: 'nowshowing_poster_requests_total',
      help: 'Poster proxy answers, by outcome (hit, miss, not-modified, refused, budget, client-budget, client-busy).',
      labelNames: ['outcome'],
      registers,
    }),
    posterCacheBytes: new Gauge({
      name: 'nowshowing_poster_cache_bytes',
      help: 'Bytes of posters held in the in-memory cache.',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
