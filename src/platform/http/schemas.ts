import { z } from 'zod';

/** Shared zod building blocks for routes. */
export const idParams = z.object({ id: z.string() });
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }).passthrough(),
});
export const isoDate = z.string().describe('ISO 8601 instant');
export const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Standard error responses for the OpenAPI document. */
export const errors = {
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  412: errorBody,
  422: errorBody,
};

/** Parses an If-Match header ("3", "\"3\"", W/"3") into a version number. Garbage → a version that never matches. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return m ? Number(m[1]) : -1;
}

export function etag(version: number): string {
  return `"${version}"`;
}

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
