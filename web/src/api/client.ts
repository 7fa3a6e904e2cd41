/**
 * The one way the web app talks to the Kept API: an openapi-fetch client typed by the generated OpenAPI types
 * (schema.gen.ts, `npm run gen:api`), with the session cookie, the CSRF token on writes, the chosen language in
 * Accept-Language and a typed error on failure (a 401 sends the user to sign in).
 *
 *   const customer = await unwrap(client.GET('/api/v1/customers/{id}', { params: { path: { id } } }));
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.gen';

export const API_BASE = '/api/v1';

/** The `error` member of an error envelope (a 409 on customers adds the duplicate `candidates`). */
type ServerErrorBody = components['schemas']['ErrorEnvelope']['error'] &
  Partial<Pick<components['schemas']['CustomerError']['error'], 'candidates'>>;
/** Server codes, plus the client's own: no answer at all, or an answer that was not an error envelope. */
export type ApiErrorCode = ServerErrorBody['code'] | 'network' | `http_${number}`;
export type ErrorBody = Omit<ServerErrorBody, 'code'> & { code: ApiErrorCode };

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly fields: Record<string, string>;
  readonly body: ErrorBody;
  constructor(status: number, body: ErrorBody) {
    super(body.message || body.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.fields = body.fields ?? {};
    this.body = body;
  }
}

export function isApiError(e: unknown, status?: number): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status);
}

let csrfToken: string | null = null;
let locale = 'zh-CN';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setApiLocale(next: string): void {
  locale = next;
}
export function getApiLocale(): string {
  return locale;
}
/** Called when any request (other than login itself) answers 401. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

type QueryValue = string | number | boolean | null | undefined | string[];

/** `?a=1&tag=x&tag=y`: empty values are left out, arrays repeat the key. */
export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, QueryValue>)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) p.append(k, item);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A URL under /api/v1 for the browser to open itself (downloads, event streams). */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  return `${API_BASE}${path}${buildQuery(query)}`;
}

/** Typed by the OpenAPI document: paths, parameters, bodies and answers. */
export const client = createClient<paths>({
  credentials: 'same-origin',
  querySerializer: (query) => buildQuery(query).slice(1),
});

/**
 * One Idempotency-Key per submission: the same POST (same path, same JSON body) sent again within a few seconds,
 * a double click or a retried save, reuses the key, so the server creates one record and answers the second
 * with the first answer. After the window a repeat is a new submission.
 */
const SUBMISSION_WINDOW_MS = 10_000;
const recentSubmissions = new Map<string, { key: string; at: number }>();

function idempotencyKeyFor(request: Request, body: string): string {
  const now = Date.now();
  for (const [k, v] of recentSubmissions) if (now - v.at > SUBMISSION_WINDOW_MS) recentSubmissions.delete(k);
  const id = `${request.url}\n${body}`;
  const known = recentSubmissions.get(id);
  if (known) return known.key;
  // randomUUID exists only in secure contexts (https, localhost); a LAN address over http has getRandomValues.
  const key =
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join(
          '',
        );
  recentSubmissions.set(id, { key, at: now });
  return key;
}

client.use({
  async onRequest({ request }) {
    request.headers.set('Accept', 'application/json');
    request.headers.set('Accept-Language', locale);
    if (request.method !== 'GET' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    if (request.method !== 'POST' || request.url.includes('/auth/')) return request;
    if (!request.headers.get('content-type')?.includes('json')) return request;
    // The body is read once and sent as text again (a read body would otherwise go out as a stream).
    const body = await request.text();
    request.headers.set('Idempotency-Key', idempotencyKeyFor(request, body));
    return new Request(request, { body });
  },
});

/** What every openapi-fetch call resolves to. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface CallOptions {
  /** Do not redirect to /login on 401 (login and the initial session probe). */
  quiet401?: boolean;
}

/** The answer of a call with its ETag; throws ApiError for anything but a 2xx. */
export async function withEtag<T>(
  call: Promise<FetchResult<T>>,
  opts: CallOptions = {},
): Promise<{ data: T; etag: string | null; status: number }> {
  let r: FetchResult<T>;
  try {
    r = await call;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', message: '' });
  }
  const { response } = r;
  if (!response.ok) {
    const envelope = (r.error as { error?: ErrorBody } | undefined)?.error;
    const err = new ApiError(
      response.status,
      envelope && typeof envelope === 'object'
        ? envelope
        : { code: `http_${response.status}`, message: response.statusText },
    );
    if (response.status === 401 && !opts.quiet401) {
      csrfToken = null;
      onUnauthorized?.();
    }
    throw err;
  }
  return { data: r.data as T, etag: response.headers.get('ETag'), status: response.status };
}

/** The body of a successful answer; throws ApiError for anything but a 2xx. */
export async function unwrap<T>(call: Promise<FetchResult<T>>, opts: CallOptions = {}): Promise<T> {
  return (await withEtag(call, opts)).data;
}

/** `{ 'If-Match': etag }` when there is one: a stale version then answers 412 instead of overwriting. */
export function ifMatch(etag: string | null | undefined): { 'If-Match'?: string } {
  return etag ? { 'If-Match': etag } : {};
}

/** Headers and serializer for a raw file body (the import upload). */
export const rawBody = {
  headers: { 'Content-Type': 'application/octet-stream' },
  bodySerializer: (body: unknown) => body as Blob,
};
