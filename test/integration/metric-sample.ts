/**
 * The sum of the samples of metric `name` whose labels include every `labels` pair, read from
 * Prometheus' text format as GET /api/metrics serves it; NaN when there is no such sample (a counter
 * nothing has bumped yet is absent, not 0).
 */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (!Object.entries(labels).every(([key, value]) => match[2]?.includes(`${key}="${value}"`))) continue;
    sum += Number(match[3]);
    found = true;
  }
  return found ? sum : Number.NaN;
}

/** The app's whole /api/metrics text. */
export async function readMetricsText(appUrl: string): Promise<string> {
  return (await fetch(`${appUrl}/api/metrics`)).text();
}
