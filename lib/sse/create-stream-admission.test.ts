import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpError } from '@/lib/errors';
import type { StreamPlaces } from '@/lib/limits/stream-places';
import { rejectedWith } from '@/test/rejected-with';

/**
 * A fresh admission with these limits, its own metrics and shutdown flag. Modules are loaded afresh
 * so the log reads `LOG_LEVEL` (read once at import) and its throttling starts empty.
 */
async function load(
  settings: { STREAMS_PER_IP: string; STREAMS_MAX: string; LOG_LEVEL?: string },
  places: StreamPlaces | null = null,
) {
  vi.resetModules();
  vi.stubEnv('LOG_LEVEL', settings.LOG_LEVEL ?? 'error');
  const { createStreamAdmission } = await import('./create-stream-admission');
  const { createMetrics } = await import('@/lib/metrics/metrics');
  const errors = await import('@/lib/errors');
  const metrics = createMetrics();
  let shuttingDown = false;
  const admission = createStreamAdmission({
    streamsPerIp: Number(settings.STREAMS_PER_IP),
    streamsMax: Number(settings.STREAMS_MAX),
    metrics,
    shuttingDown: () => shuttingDown,
    places,
  });
  const admitStream = (client: string | null) => admission.admit(client);
  const countAdmitted = () => admission.count();
  const beginShutdown = () => {
    shuttingDown = true;
  };
  const rejected = async (reason: string) =>
    (await metrics.streamsRejected.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
  /** The HttpError `admit` rejects with (of the freshly loaded class); fails the test if it admits. */
  const refusal = (admitted: Promise<unknown>): Promise<HttpError> =>
    rejectedWith(errors.HttpError, admitted);
  return {
    admitStream,
    countAdmitted,
    beginShutdown,
    rejected,
    refusal,
    toErrorResponse: errors.toErrorResponse,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('createStreamAdmission', () => {
  it('answers the stream past STREAMS_PER_IP with a 429, Retry-After and a JSON reason', async () => {
    const { admitStream, rejected, refusal, toErrorResponse } = await load({
      STREAMS_PER_IP: '2',
      STREAMS_MAX: '0',
    });
    await admitStream('198.51.100.7');
    await admitStream('198.51.100.7');
    const error = await refusal(admitStream('198.51.100.7'));
    expect(error).toMatchObject({ status: 429, code: 'ip-limit' });

    const response = toErrorResponse(error);
    expect(response.status).toBe(429);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 30 && retryAfter < 60).toBe(true);
    expect(await response.json()).toEqual({
      error: 'ip-limit',
      message: 'Your address already has 2 open streams; close one and try again.',
      retryAfterSeconds: retryAfter,
    });
    expect(await rejected('ip-limit')).toBe(1);
    // Another address is not held back by this one.
    expect((await admitStream('198.51.100.8')).client).toBe('198.51.100.8');
  });

  it('answers 503 total-limit once the process serves STREAMS_MAX streams', async () => {
    const { admitStream, rejected, refusal } = await load({ STREAMS_PER_IP: '0', STREAMS_MAX: '3' });
    for (const client of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await admitStream(client);
    const error = await refusal(admitStream('10.0.0.4'));
    expect(error).toMatchObject({ status: 503, code: 'total-limit' });
    expect(Number(error.headers['Retry-After'])).toBe(error.details.retryAfterSeconds);
    expect(error.details.retryAfterSeconds).toBeGreaterThanOrEqual(10);
    expect(await rejected('total-limit')).toBe(1);
  });

  it('answers 503 shutting-down to every stream once shutdown began', async () => {
    const { admitStream, beginShutdown, countAdmitted, rejected, refusal } = await load({
      STREAMS_PER_IP: '0',
      STREAMS_MAX: '0',
    });
    beginShutdown();
    const error = await refusal(admitStream('10.0.0.1'));
    expect(error).toMatchObject({ status: 503, code: 'shutting-down' });
    expect(error.headers['Retry-After']).toMatch(/^\d+$/);
    expect(countAdmitted()).toEqual({ total: 0, clients: 0 });
    expect(await rejected('shutting-down')).toBe(1);
  });

  it('gives the place back on release, exactly once', async () => {
    const { admitStream, countAdmitted, refusal } = await load({ STREAMS_PER_IP: '1', STREAMS_MAX: '2' });
    const first = await admitStream('10.0.0.1');
    await admitStream('10.0.0.2');
    expect(countAdmitted()).toEqual({ total: 2, clients: 2 });
    first.release();
    first.release();
    // A second release must not free a place someone else holds.
    expect(countAdmitted()).toEqual({ total: 1, clients: 1 });
    const again = await admitStream('10.0.0.1');
    expect(await refusal(admitStream('10.0.0.3'))).toMatchObject({ code: 'total-limit' });
    again.release();
    expect(await refusal(admitStream('10.0.0.2'))).toMatchObject({ code: 'ip-limit' });
  });

  it('counts an IPv6 client by its /64', async () => {
    const { admitStream, refusal } = await load({ STREAMS_PER_IP: '2', STREAMS_MAX: '0' });
    await admitStream('2001:db8:1:2::1');
    await admitStream('2001:db8:1:2:ffff:ffff:ffff:9');
    expect(await refusal(admitStream('2001:db8:1:2:0:0:0:7'))).toMatchObject({ code: 'ip-limit' });
    expect((await admitStream('2001:db8:1:3::1')).client).toBe('2001:db8:1:3::1');
  });

  it('counts every client without a readable address together, not without limit', async () => {
    const { admitStream, refusal } = await load({ STREAMS_PER_IP: '2', STREAMS_MAX: '0' });
    await admitStream(null);
    await admitStream(null);
    expect(await refusal(admitStream(null))).toMatchObject({ status: 429, code: 'ip-limit' });
  });

  it('turns both limits off with 0', async () => {
    const { admitStream, countAdmitted } = await load({ STREAMS_PER_IP: '0', STREAMS_MAX: '0' });
    for (let i = 0; i < 500; i += 1) await admitStream('10.0.0.1');
    expect(countAdmitted()).toEqual({ total: 500, clients: 1 });
  });

  it('logs a flood of refusals from many addresses as one line, counting every one', async () => {
    const lines = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { admitStream, refusal, rejected } = await load({
      STREAMS_PER_IP: '0',
      STREAMS_MAX: '1',
      LOG_LEVEL: 'info',
    });
    await admitStream('10.0.0.1');
    for (let i = 0; i < 50; i += 1) await refusal(admitStream(`198.51.100.${i}`));
    const refusedLines = lines.mock.calls.filter(([line]) => String(line).includes('"stream-refused"'));
    expect(refusedLines).toHaveLength(1);
    expect(await rejected('total-limit')).toBe(50);
  });

  it('takes the place in the cluster too, and refuses when the cluster holds the limit', async () => {
    const places = new FakePlaces();
    const { admitStream, countAdmitted, rejected, refusal } = await load(
      { STREAMS_PER_IP: '3', STREAMS_MAX: '0' },
      places,
    );
    // Another instance holds two of this address's three places.
    places.elsewhere.set('198.51.100.7', 2);
    const ticket = await admitStream('198.51.100.7');
    expect(places.mine.get('198.51.100.7')).toBe(1);
    const error = await refusal(admitStream('198.51.100.7'));
    expect(error).toMatchObject({ status: 429, code: 'ip-limit' });
    expect(Number(error.headers['Retry-After'])).toBeGreaterThanOrEqual(30);
    expect(await rejected('ip-limit')).toBe(1);
    // The refused stream's place in this process was given back; the admitted one's is held.
    expect(countAdmitted()).toEqual({ total: 1, clients: 1 });
    ticket.release();
    ticket.release();
    expect(places.mine.get('198.51.100.7') ?? 0).toBe(0);
    expect(places.given).toBe(1);
  });

  it('refuses by its own count before it asks the cluster', async () => {
    const places = new FakePlaces();
    const { admitStream, refusal } = await load({ STREAMS_PER_IP: '1', STREAMS_MAX: '0' }, places);
    // Both asked at once: the second is refused by the process's own count, never reaching Redis.
    const [first, second] = [admitStream('10.0.0.1'), refusal(admitStream('10.0.0.1'))];
    await first;
    expect(await second).toMatchObject({ code: 'ip-limit' });
    expect(places.asked).toBe(1);
  });

  it('never asks the cluster when the limit is off or the stream is refused for another reason', async () => {
    const places = new FakePlaces();
    const off = await load({ STREAMS_PER_IP: '0', STREAMS_MAX: '1' }, places);
    await off.admitStream('10.0.0.1');
    expect(await off.refusal(off.admitStream('10.0.0.2'))).toMatchObject({ code: 'total-limit' });
    expect(places.asked).toBe(0);
  });
});

/** The cluster's places as a map per side: this instance's and the others'. */
class FakePlaces implements StreamPlaces {
  readonly mine = new Map<string, number>();
  readonly elsewhere = new Map<string, number>();
  asked = 0;
  given = 0;

  async take(key: string, limit: number): Promise<boolean> {
    this.asked += 1;
    const held = (this.mine.get(key) ?? 0) + (this.elsewhere.get(key) ?? 0);
    if (held >= limit) return false;
    this.mine.set(key, (this.mine.get(key) ?? 0) + 1);
    return true;
  }

  give(key: string): void {
    this.given += 1;
    this.mine.set(key, (this.mine.get(key) ?? 0) - 1);
  }

  async close(): Promise<void> {}
}
