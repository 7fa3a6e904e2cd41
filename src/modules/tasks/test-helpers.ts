import { as, type TestApp } from '../../../test/harness.ts';

/** Small HTTP helpers for this module's tests. */
export function http(t: TestApp) {
  const call = async (
    method: 'GET' | 'POST' | 'PATCH',
    token: string,
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) => t.app.inject({ method, url, headers: as(token, headers), ...(payload ? { payload } : {}) });
  return {
    get: (token: string, url: string) => call('GET', token, url),
    post: (token: string, url: string, payload: object, headers?: Record<string, string>) =>
      call('POST', token, url, payload, headers),
    patch: (token: string, url: string, payload: object, headers?: Record<string, string>) =>
      call('PATCH', token, url, payload, headers),
  };
}
