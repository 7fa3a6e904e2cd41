import { client, ifMatch, unwrap } from '../../api/client';
import type { BodyOf } from '../../api/types';

// Writes of the admin pages (reads are shared hooks in api/directory.ts and customers/api.ts).

const byId = (id: string) => ({ params: { path: { id } } });

export type UserCreateInput = BodyOf<'/api/v1/users', 'post'>;
export type UserPatch = BodyOf<'/api/v1/users/{id}', 'patch'>;
export const createUser = (body: UserCreateInput) => unwrap(client.POST('/api/v1/users', { body }));
export const updateUser = (id: string, body: UserPatch) =>
  unwrap(client.PATCH('/api/v1/users/{id}', { ...byId(id), body }));

export type TeamInput = BodyOf<'/api/v1/teams', 'post'>;
export const createTeam = (body: TeamInput) => unwrap(client.POST('/api/v1/teams', { body }));
export const updateTeam = (id: string, body: BodyOf<'/api/v1/teams/{id}', 'patch'>) =>
  unwrap(client.PATCH('/api/v1/teams/{id}', { ...byId(id), body }));

export type RoleCreateInput = BodyOf<'/api/v1/roles', 'post'>;
export type RolePatch = BodyOf<'/api/v1/roles/{id}', 'patch'>;
export const createRole = (body: RoleCreateInput) => unwrap(client.POST('/api/v1/roles', { body }));
export const updateRole = (id: string, body: RolePatch) =>
  unwrap(client.PATCH('/api/v1/roles/{id}', { ...byId(id), body }));
export const deleteRole = (id: string) => unwrap(client.DELETE('/api/v1/roles/{id}', byId(id)));

export type CustomFieldCreateInput = BodyOf<'/api/v1/custom-fields', 'post'>;
export type CustomFieldPatch = BodyOf<'/api/v1/custom-fields/{id}', 'patch'>;
export const createCustomField = (body: CustomFieldCreateInput) =>
  unwrap(client.POST('/api/v1/custom-fields', { body }));
export const updateCustomField = (id: string, body: CustomFieldPatch) =>
  unwrap(client.PATCH('/api/v1/custom-fields/{id}', { ...byId(id), body }));

export type TaskTypeInput = BodyOf<'/api/v1/task-types/{key}', 'put'>;
/** Adds or edits a task type; `version` is the one read (0 for a type not stored yet): a stale one answers 412. */
export const saveTaskType = (key: string, body: TaskTypeInput, version: number) =>
  unwrap(
    client.PUT('/api/v1/task-types/{key}', {
      params: { path: { key } },
      body,
      headers: ifMatch(`"${version}"`),
    }),
  );
