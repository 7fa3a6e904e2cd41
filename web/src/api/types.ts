/**
 * Names for the API's shapes, all taken from the generated OpenAPI types (schema.gen.ts, `npm run gen:api`).
 * Nothing here is written by hand: when the server changes, regenerate and the compiler shows what to adapt.
 */
import type { Readable, Writable } from 'openapi-typescript-helpers';
import type { components, paths } from './schema.gen';

/**
 * A named schema as a call answers it: openapi-fetch passes answers through Readable<> (which, among others,
 * reads tuples as arrays), so aliases do too and values flow from calls to components unchanged.
 */
export type Schema<N extends keyof components['schemas']> = Readable<components['schemas'][N]>;
type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** The JSON a successful call of `method path` answers (200, 201 or 202). */
export type ResponseOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: infer R;
}
  ? Readable<
      R extends { 200: { content: { 'application/json': infer T } } }
        ? T
        : R extends { 201: { content: { 'application/json': infer T } } }
          ? T
          : R extends { 202: { content: { 'application/json': infer T } } }
            ? T
            : never
    >
  : never;

/** The JSON body `method path` takes (as openapi-fetch types it). */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? Writable<T>
  : never;

/** The query parameters of `method path`. */
export type QueryOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export type Session = Schema<'Me'>;

export type Customer = Schema<'Customer'>;
export type DuplicateCandidate = Schema<'DuplicateCandidate'>;
export type TimelineItem = Schema<'TimelineItem'>;
export type Contact = Schema<'Contact'>;
export type CustomField = Schema<'CustomField'>;
export type CustomFieldType = CustomField['type'];
export type LocalizedText = CustomField['label'];

export type ImportUpload = Schema<'ImportUpload'>;

export type User = Schema<'User'>;
export type Team = Schema<'Team'>;
export type Role = Schema<'Role'>;

export type Task = Schema<'Task'>;
