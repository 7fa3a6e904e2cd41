import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../db/paging.ts';
import { ERROR_STATUS, type ErrorCode } from './errors.ts';

/** Shared zod building blocks for routes. */
export const idParams = z.object({ id: z.string() });

/** The members every error envelope may carry (see sendError in app.ts). */
const errorDetail = z.object({
  code: z
    .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
    .describe('machine-readable error code'),
  message: z.string().describe("what went wrong, in the caller's language (Accept-Language)"),
  fields: z
    .record(z.string(), z.string())
    .optional()
    .describe("invalid fields (JSON paths such as `transitions.2.to`) → message in the caller's language"),
  detail: z.string().optional().describe('for a malformed request (400): what the parser said'),
  requestId: z.string().optional().describe('for an internal error (500): the id to quote when reporting it'),
});

/** `{"error":{"code","message","fields"?}}`: the body of every 4xx/5xx answer. */
export const errorBody = z.object({ error: errorDetail }).meta({ id: 'ErrorEnvelope' });

/**
 * An error envelope whose `error` carries more members for one kind of failure (e.g. the candidates of a
 * possible duplicate). Members not declared here or in errorDetail are not sent.
 */
export function errorBodyWith<S extends z.ZodRawShape>(id: string, extra: S) {
  return z.object({ error: errorDetail.extend(extra) }).meta({ id });
}
export const isoDate = z.string().describe('ISO 8601 instant');

/**
 * A 200 answer that is not JSON (a file or an event stream), documented by its media types. The handler sends a
 * string, buffer or stream, which Fastify passes through unserialized.
 */
export function rawResponse(description: string, mediaTypes: Record<string, 'text' | 'binary'>) {
  return {
    description,
    content: Object.fromEntries(
      Object.entries(mediaTypes).map(([type, kind]) => [
        type,
        // Documented as a string; typed as what handlers actually send (never serialized: not JSON).
        {
          schema: (kind === 'binary'
            ? z.string().meta({ format: 'binary' })
            : z.string()) as unknown as z.ZodType<string | Buffer | Readable>,
        },
      ]),
    ),
  };
}
/** A fixed list that is not read from the database (e.g. the permission catalog). Database lists use `page`. */
export const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * Query of every database list: `limit` (1–200, default 50) and the opaque `cursor` of the previous page's
 * `nextCursor`. A cursor from another list or sort, or garbage, answers 422 on `cursor`. Extend it with the
 * list's own filters: `pageQuery.extend({ status: … })`.
 */
export const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .describe(`rows per page, 1–${MAX_LIMIT}`),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('the nextCursor of the previous page; omit for the first page'),
});

/** Response of every database list: one page of `items` and the cursor of the next page (null on the last). */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('pass as `cursor` for the next page; null when this is the last page'),
  });

/**
 * A page with the list's size, counted on the first page only (no cursor) and up to a cap: `total` is the
 * count, or the cap with `totalCapped: true` when there are more rows (show "10,000+").
 */
export const pageWithTotal = <T extends z.ZodType>(item: T) =>
  page(item).extend({
    total: z.number().int().optional().describe('rows matching the filters; first page only'),
    totalCapped: z.boolean().optional().describe('true when there are more rows than `total` (the cap)'),
  });

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

export const iso = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;
