import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

export interface OrgRow {
  org_id: string;
  name: string;
  slug: string;
  time_zone: string;
  locale: string;
  created_at: Date;
  updated_at: Date;
}

export interface RoleRow {
  org_id: string;
  id: string;
  key: string;
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface UserRow {
  org_id: string;
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role_id: string;
  locale: string | null;
  skills: string[];
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface UserWithRole extends UserRow {
  role_key: string;
  role_name: string;
  permissions: string[];
  team_ids: string[];
}

export interface TeamRow {
  org_id: string;
  id: string;
  name: string;
  supervisor_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  member_ids?: string[];
}

const USER_WITH_ROLE = `
  SELECT u.*, r.key AS role_key, r.name AS role_name, r.permissions,
    COALESCE((SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm
              WHERE tm.org_id = u.org_id AND tm.user_id = u.id), '{}') AS team_ids
  FROM users u JOIN roles r ON r.org_id = u.org_id AND r.id = u.role_id`;

const USERS_SORT = sortOf('users', [{ sql: 'u.created_at', type: 'timestamptz' }], 'u.id');
const DIRECTORY_SORT = sortOf('directory', [{ sql: 'u.created_at', type: 'timestamptz' }], 'u.id');
const TEAMS_SORT = sortOf('teams', [{ sql: 't.name', type: 'text' }], 't.id');
const ROLES_SORT = sortOf(
  'roles',
  [
    { sql: 'r.builtin', type: 'bool', desc: true },
    { sql: 'r.key', type: 'text' },
  ],
  'r.id',
);

export const identityRepo = {
  async orgById(q: Queryable, orgId: string) {
    return (await q.query<OrgRow>('SELECT * FROM orgs WHERE org_id = $1', [orgId])).rows[0];
  },
  async orgBySlug(q: Queryable, slug: string) {
    return (await q.query<OrgRow>('SELECT * FROM orgs WHERE slug = $1', [slug])).rows[0];
  },
  async listOrgs(q: Queryable) {
    return (await q.query<OrgRow>('SELECT * FROM orgs ORDER BY created_at')).rows;
  },
  async insertOrg(
    q: Queryable,
    o: { orgId: string; name: string; slug: string; timeZone: string; locale: string },
  ) {
    return (
      await q.query<OrgRow>(
        'INSERT INTO orgs (org_id, name, slug, time_zone, locale) VALUES ($1,$2,$3,$4,$5) RETURNING *',
        [o.orgId, o.name, o.slug, o.timeZone, o.locale],
      )
    ).rows[0];
  },

  async insertRole(
    q: Queryable,
    r: {
      orgId: string;
      id: string;
      key: string;
      name: string;
      description: string;
      permissions: string[];
      builtin: boolean;
    },
  ) {
    return (
      await q.query<RoleRow>(
        `INSERT INTO roles (org_id, id, key, name, description, permissions, builtin)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
        [r.orgId, r.id, r.key, r.name, r.description, r.permissions, r.builtin],
      )
    ).rows[0];
  },
  /** One page of roles: built-in first, then by key. */
  async rolesPage(q: Queryable, orgId: string, page: PageRequest) {
    return fetchPage<RoleRow>(
      q,
      ROLES_SORT,
      page,
      [orgId],
      (k) =>
        `SELECT r.*, ${k.columns} FROM roles r WHERE r.org_id = $1 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async roles(q: Queryable, orgId: string) {
    return (
      await q.query<RoleRow>('SELECT * FROM roles WHERE org_id = $1 ORDER BY builtin DESC, key', [orgId])
    ).rows;
  },
  async roleById(q: Queryable, orgId: string, id: string) {
    return (await q.query<RoleRow>('SELECT * FROM roles WHERE org_id = $1 AND id = $2', [orgId, id])).rows[0];
  },
  async roleByKey(q: Queryable, orgId: string, key: string) {
    return (await q.query<RoleRow>('SELECT * FROM roles WHERE org_id = $1 AND key = $2', [orgId, key]))
      .rows[0];
  },
  async updateRole(
    q: Queryable,
    orgId: string,
    id: string,
    p: { name: string; description: string; permissions: string[] },
  ) {
    return (
      await q.query<RoleRow>(
        `UPDATE roles SET name = $3, description = $4, permissions = $5, version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, p.name, p.description, p.permissions],
      )
    ).rows[0];
  },
  async deleteRole(q: Queryable, orgId: string, id: string) {
    await q.query('DELETE FROM roles WHERE org_id = $1 AND id = $2', [orgId, id]);
  },
  async countUsersWithRole(q: Queryable, orgId: string, roleId: string) {
    return (
      await q.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE org_id = $1 AND role_id = $2',
        [orgId, roleId],
      )
    ).rows[0].n;
  },

  /**
   * The active users whose role holds '*' (the org's admins), locked FOR UPDATE so that two concurrent
   * demotions or disables cannot both see "another admin remains".
   */
  async lockActiveAdmins(q: Queryable, orgId: string) {
    return (
      await q.query<{ id: string; role_id: string }>(
        `SELECT u.id, u.role_id FROM users u JOIN roles r ON r.org_id = u.org_id AND r.id = u.role_id
         WHERE u.org_id = $1 AND u.status = 'active' AND '*' = ANY(r.permissions)
         ORDER BY u.id FOR UPDATE OF u`,
        [orgId],
      )
    ).rows;
  },

  async insertUser(
    q: Queryable,
    u: {
      orgId: string;
      id: string;
      email: string;
      name: string;
      passwordHash: string;
      roleId: string;
      locale: string | null;
      skills: string[];
    },
  ) {
    return (
      await q.query<UserRow>(
        `INSERT INTO users (org_id, id, email, name, password_hash, role_id, locale, skills)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
        [u.orgId, u.id, u.email, u.name, u.passwordHash, u.roleId, u.locale, u.skills],
      )
    ).rows[0];
  },
  async userById(q: Queryable, orgId: string, id: string) {
    return (await q.query<UserWithRole>(`${USER_WITH_ROLE} WHERE u.org_id = $1 AND u.id = $2`, [orgId, id]))
      .rows[0];
  },
  async usersByIds(q: Queryable, orgId: string, ids: string[]) {
    return (
      await q.query<UserWithRole>(`${USER_WITH_ROLE} WHERE u.org_id = $1 AND u.id = ANY($2::uuid[])`, [
        orgId,
        ids,
      ])
    ).rows;
  },
  async userByEmail(q: Queryable, orgId: string, email: string) {
    return (
      await q.query<UserWithRole>(`${USER_WITH_ROLE} WHERE u.org_id = $1 AND lower(u.email) = lower($2)`, [
        orgId,
        email,
      ])
    ).rows[0];
  },
  async usersByEmailAnyOrg(q: Queryable, email: string) {
    return (await q.query<UserWithRole>(`${USER_WITH_ROLE} WHERE lower(u.email) = lower($1)`, [email])).rows;
  },
  /** A live API token's user (with role and teams) in one query: what every token request starts with. */
  async userByTokenHash(q: Queryable, hash: string) {
    return (
      await q.query<UserWithRole & { t_id: string; t_last_used_at: Date | null; t_expires_at: Date | null }>(
        `SELECT t.id AS t_id, t.last_used_at AS t_last_used_at, t.expires_at AS t_expires_at, uw.* FROM api_tokens t
         CROSS JOIN LATERAL (${USER_WITH_ROLE} WHERE u.org_id = t.org_id AND u.id = t.user_id) uw
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
        [hash],
        { prepare: true },
      )
    ).rows[0];
  },
  /** A live session's user (with role and teams) in one query. */
  async userBySessionHash(q: Queryable, hash: string) {
    return (
      await q.query<
        UserWithRole & { s_id: string; s_csrf_token: string; s_last_seen_at: Date; s_expires_at: Date }
      >(
        `SELECT s.id AS s_id, s.csrf_token AS s_csrf_token, s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, uw.* FROM sessions s
         CROSS JOIN LATERAL (${USER_WITH_ROLE} WHERE u.org_id = s.org_id AND u.id = s.user_id) uw
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [hash],
        { prepare: true },
      )
    ).rows[0];
  },
  async namesByIds(q: Queryable, orgId: string, ids: string[]) {
    return (
      await q.query<{ id: string; name: string }>(
        'SELECT id, name FROM users WHERE org_id = $1 AND id = ANY($2::uuid[])',
        [orgId, ids],
      )
    ).rows;
  },
  async memberIdsOfTeams(q: Queryable, orgId: string, teamIds: readonly string[]) {
    const r = await q.query<{ user_id: string }>(
      'SELECT DISTINCT user_id FROM team_members WHERE org_id = $1 AND team_id = ANY($2::uuid[])',
      [orgId, [...teamIds]],
    );
    return r.rows.map((x) => x.user_id);
  },

  /** One page of the org's users (all, or only active ones for the directory), oldest first. */
  async usersPage(q: Queryable, orgId: string, activeOnly: boolean, page: PageRequest) {
    const sort = activeOnly ? DIRECTORY_SORT : USERS_SORT;
    return fetchPage<UserWithRole>(
      q,
      sort,
      page,
      [orgId],
      (k) =>
        `SELECT u.*, ${k.columns} FROM (${USER_WITH_ROLE} WHERE u.org_id = $1${activeOnly ? " AND u.status = 'active'" : ''}) u
         WHERE ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async listUsers(q: Queryable, orgId: string) {
    return (
      await q.query<UserWithRole>(`${USER_WITH_ROLE} WHERE u.org_id = $1 ORDER BY u.created_at, u.id`, [
        orgId,
      ])
    ).rows;
  },
  async updateUser(
    q: Queryable,
    orgId: string,
    id: string,
    p: {
      name: string;
      roleId: string;
      locale: string | null;
      skills: string[];
      status: string;
      passwordHash: string;
    },
  ) {
    return (
      await q.query<UserRow>(
        `UPDATE users SET name = $3, role_id = $4, locale = $5, skills = $6, status = $7, password_hash = $8,
           version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, p.name, p.roleId, p.locale, p.skills, p.status, p.passwordHash],
      )
    ).rows[0];
  },
  async setTeamsOfUser(q: Queryable, orgId: string, userId: string, teamIds: string[]) {
    await q.query(
      'DELETE FROM team_members WHERE org_id = $1 AND user_id = $2 AND NOT (team_id = ANY($3::uuid[]))',
      [orgId, userId, teamIds],
    );
    for (const teamId of teamIds) {
      await q.query(
        'INSERT INTO team_members (org_id, team_id, user_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING',
        [orgId, teamId, userId],
      );
    }
  },
  async recordLoginFailure(q: Queryable, orgId: string, id: string, max: number, lockMinutes: number) {
    return (
      await q.query<{ failed_logins: number; locked_until: Date | null }>(
        // A lock that has run out starts a fresh count: one more mistake does not lock again at once.
        `UPDATE users SET
           failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
           locked_until = CASE
             WHEN locked_until IS NOT NULL AND locked_until <= now() THEN (CASE WHEN 1 >= $3 THEN now() + make_interval(mins => $4) END)
             WHEN failed_logins + 1 >= $3 THEN now() + make_interval(mins => $4)
             ELSE locked_until END
         WHERE org_id = $1 AND id = $2 RETURNING failed_logins, locked_until`,
        [orgId, id, max, lockMinutes],
      )
    ).rows[0];
  },
  async recordLoginSuccess(q: Queryable, orgId: string, id: string) {
    await q.query(
      'UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE org_id = $1 AND id = $2',
      [orgId, id],
    );
  },

  /** The supervisor of a user's first team (by membership date), unless that is the user. */
  async supervisorOf(q: Queryable, orgId: string, userId: string): Promise<string | null> {
    const r = await q.query<{ supervisor_id: string | null }>(
      `SELECT t.supervisor_id FROM team_members m JOIN teams t ON t.org_id = m.org_id AND t.id = m.team_id
       WHERE m.org_id = $1 AND m.user_id = $2 AND t.supervisor_id IS NOT NULL ORDER BY m.created_at, t.name LIMIT 1`,
      [orgId, userId],
    );
    const s = r.rows[0]?.supervisor_id ?? null;
    return s && s !== userId ? s : null;
  },
  async insertTeam(
    q: Queryable,
    t: { orgId: string; id: string; name: string; supervisorId: string | null },
  ) {
    return (
      await q.query<TeamRow>(
        'INSERT INTO teams (org_id, id, name, supervisor_id) VALUES ($1,$2,$3,$4) RETURNING *',
        [t.orgId, t.id, t.name, t.supervisorId],
      )
    ).rows[0];
  },
  /** One page of teams by name, with their members. */
  async teamsPage(q: Queryable, orgId: string, page: PageRequest) {
    return fetchPage<TeamRow>(
      q,
      TEAMS_SORT,
      page,
      [orgId],
      (k) =>
        `SELECT t.*, COALESCE((SELECT array_agg(tm.user_id ORDER BY tm.user_id) FROM team_members tm
           WHERE tm.org_id = t.org_id AND tm.team_id = t.id), '{}') AS member_ids, ${k.columns}
         FROM teams t WHERE t.org_id = $1 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async teams(q: Queryable, orgId: string) {
    return (
      await q.query<TeamRow>(
        `SELECT t.*, COALESCE((SELECT array_agg(tm.user_id ORDER BY tm.user_id) FROM team_members tm
           WHERE tm.org_id = t.org_id AND tm.team_id = t.id), '{}') AS member_ids
         FROM teams t WHERE t.org_id = $1 ORDER BY t.name`,
        [orgId],
      )
    ).rows;
  },
  async teamNameTaken(q: Queryable, orgId: string, name: string) {
    return (await q.query('SELECT 1 FROM teams WHERE org_id = $1 AND name = $2', [orgId, name])).rowCount > 0;
  },
  async teamNameTakenByOther(q: Queryable, orgId: string, name: string, exceptId: string) {
    return (
      (
        await q.query('SELECT 1 FROM teams WHERE org_id = $1 AND name = $2 AND id <> $3', [
          orgId,
          name,
          exceptId,
        ])
      ).rowCount > 0
    );
  },
  /** Adds a member (nothing when already one). */
  async addTeamMember(q: Queryable, orgId: string, teamId: string, userId: string) {
    await q.query(
      'INSERT INTO team_members (org_id, team_id, user_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING',
      [orgId, teamId, userId],
    );
  },
  async insertTeamMember(q: Queryable, orgId: string, teamId: string, userId: string) {
    await q.query('INSERT INTO team_members (org_id, team_id, user_id) VALUES ($1,$2,$3)', [
      orgId,
      teamId,
      userId,
    ]);
  },
  async clearTeamMembers(q: Queryable, orgId: string, teamId: string) {
    await q.query('DELETE FROM team_members WHERE org_id = $1 AND team_id = $2', [orgId, teamId]);
  },
  async teamById(q: Queryable, orgId: string, id: string) {
    return (await q.query<TeamRow>('SELECT * FROM teams WHERE org_id = $1 AND id = $2', [orgId, id])).rows[0];
  },
  async updateTeam(
    q: Queryable,
    orgId: string,
    id: string,
    p: { name: string; supervisorId: string | null },
  ) {
    return (
      await q.query<TeamRow>(
        `UPDATE teams SET name = $3, supervisor_id = $4, version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, p.name, p.supervisorId],
      )
    ).rows[0];
  },
};
