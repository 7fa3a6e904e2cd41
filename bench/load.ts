// Load generation with autocannon (in this process; the server under test runs in another). Latencies are
// taken from autocannon's per-response times (fractions of a millisecond), not its 1 ms histogram.
import autocannon from 'autocannon';

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  /** Non-2xx responses, errors and timeouts: a figure with any is not a clean one. */
  failed: number;
  /** What failed, e.g. "12× HTTP 409". */
  failures: string[];
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** The path of each request (called per request). */
  path: () => string;
  /** The JSON body of each request (POST). */
  body?: () => unknown;
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(spec: LoadSpec, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  const statuses = new Map<number, number>();
  const headers = { ...(spec.body ? { 'content-type': 'application/json' } : {}), ...spec.headers };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: seconds,
        headers,
        requests: [
          {
            method: spec.method ?? 'GET',
            setupRequest: (req) => ({
              ...req,
              path: spec.path(),
              ...(spec.body ? { body: JSON.stringify(spec.body()) } : {}),
            }),
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else {
        failed++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: latencies.length / (result.duration || seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok: latencies.length,
    failed: failed + result.errors + result.timeouts,
    failures: [...statuses]
      .map(([status, count]) => `${count}× HTTP ${status}`)
      .concat(
        result.errors ? [`${result.errors} errors`] : [],
        result.timeouts ? [`${result.timeouts} timeouts`] : [],
      ),
  };
}

/** A short warm-up (JIT, connection pools), then the measured run. */
export async function measure(spec: LoadSpec): Promise<LoadResult> {
  await run(spec, Math.min(2, Math.max(0.5, spec.seconds / 5)));
  return run(spec, spec.seconds);
}

export const fmt = {
  rps: (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en')}/s`,
  ms: (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '—'),
  pct: (v: number) => `${Math.round(v * 100)}%`,
};
