/**
 * The one way the web app talks to the Kept API: JSON over fetch with the session cookie,
 * the CSRF token on writes, the chosen language in Accept-Language and a typed error on failure.
 */

export const API_BASE = '/api/v1';

export interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Raw body (file upload); sent as application/octet-stream. */
  raw?: Blob | ArrayBuffer;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | null | undefined | string[]>;
  /** Do not redirect to /login on 401 (login and the initial session probe). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  etag: string | null;
}

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) p.append(k, item);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  return `${API_BASE}${path}${buildQuery(query)}`;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': locale,
    ...opts.headers,
  };
  let body: BodyInit | undefined;
  if (opts.raw !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    body = opts.raw;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', message: '' });
  }

  const etag = res.headers.get('ETag');
  if (res.status === 204) return { data: undefined as T, status: 204, etag };
  const text = await res.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const envelope = (parsed as { error?: ErrorBody } | undefined)?.error;
    const err = new ApiError(
      res.status,
      envelope && typeof envelope === 'object'
        ? envelope
        : { code: `http_${res.status}`, message: res.statusText },
    );
    if (res.status === 401 && !opts.quiet401) {
      csrfToken = null;
      onUnauthorized?.();
    }
    throw err;
  }
  return { data: parsed as T, status: res.status, etag };
}

async function dataOf<T>(p: Promise<ApiResponse<T>>): Promise<T> {
  return (await p).data;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => dataOf(request<T>(path, { query })),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    dataOf(request<T>(path, { ...opts, method: 'POST', body: body ?? {} })),
  patch: <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    dataOf(request<T>(path, { ...opts, method: 'PATCH', body })),
  del: <T = void>(path: string) => dataOf(request<T>(path, { method: 'DELETE' })),
};
