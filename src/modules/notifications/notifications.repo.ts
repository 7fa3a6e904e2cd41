import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

const NOTIFICATIONS_SORT = sortOf(
  'notifications',
  [{ sql: 'n.created_at', type: 'timestamptz', desc: true }],
  'n.id',
);

export interface NotificationRow {
  org_id: string;
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

export interface Channels {
  inApp: boolean;
  email: boolean;
}

export interface PreferencesRow {
  org_id: string;
  user_id: string;
  in_app: boolean;
  email: boolean;
  kinds: Record<string, Channels>;
  digest_enabled: boolean;
  digest_hour: number;
  version: number;
}

export const notificationsRepo = {
  async insert(
    q: Queryable,
    n: {
      orgId: string;
      id: string;
      userId: string;
      kind: string;
      title: string;
      body: string;
      link: string | null;
      data: Record<string, unknown>;
    },
  ) {
    await q.query(
      `INSERT INTO notifications (org_id, id, user_id, kind, title, body, link, data) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [n.orgId, n.id, n.userId, n.kind, n.title, n.body, n.link, JSON.stringify(n.data)],
    );
  },
  /** One page of a user's notifications, newest first. */
  async list(q: Queryable, orgId: string, userId: string, unread: boolean, page: PageRequest) {
    return fetchPage<NotificationRow>(
      q,
      NOTIFICATIONS_SORT,
      page,
      [orgId, userId, unread],
      (k) =>
        `SELECT n.*, ${k.columns} FROM notifications n WHERE n.org_id = $1 AND n.user_id = $2 AND ($3::boolean IS FALSE OR n.read_at IS NULL)
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async unreadCount(q: Queryable, orgId: string, userId: string): Promise<number> {
    const r = await q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL',
      [orgId, userId],
    );
    return r.rows[0].n;
  },
  async byId(q: Queryable, orgId: string, userId: string, id: string) {
    const r = await q.query<NotificationRow>(
      'SELECT * FROM notifications WHERE org_id = $1 AND user_id = $2 AND id = $3',
      [orgId, userId, id],
    );
    return r.rows[0];
  },
  async markRead(q: Queryable, orgId: string, userId: string, id: string) {
    const r = await q.query<NotificationRow>(
      'UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE org_id = $1 AND user_id = $2 AND id = $3 RETURNING *',
      [orgId, userId, id],
    );
    return r.rows[0];
  },
  async markAllRead(q: Queryable, orgId: string, userId: string): Promise<number> {
    const r = await q.query(
      'UPDATE notifications SET read_at = now() WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL',
      [orgId, userId],
    );
    return r.rowCount;
  },
  /** Notifications of a user created recently (the live stream polls this; the window covers slow commits). */
  async recent(q: Queryable, orgId: string, userId: string, windowSeconds: number) {
    return (
      await q.query<NotificationRow>(
        `SELECT * FROM notifications WHERE org_id = $1 AND user_id = $2 AND created_at > clock_timestamp() - make_interval(secs => $3)
         ORDER BY created_at, id LIMIT 200`,
        [orgId, userId, windowSeconds],
      )
    ).rows;
  },
  async unreadBetween(q: Queryable, orgId: string, userId: string, from: Date, to: Date) {
    return (
      await q.query<NotificationRow>(
        `SELECT * FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL AND created_at > $3 AND created_at <= $4
         ORDER BY created_at DESC, id`,
        [orgId, userId, from, to],
      )
    ).rows;
  },
  async preferences(q: Queryable, orgId: string, userIds: string[]) {
    return (
      await q.query<PreferencesRow>(
        'SELECT * FROM notification_preferences WHERE org_id = $1 AND user_id = ANY($2::uuid[])',
        [orgId, userIds],
      )
    ).rows;
  },
  async upsertPreferences(q: Queryable, p: Omit<PreferencesRow, 'version'>) {
    const r = await q.query<PreferencesRow>(
      `INSERT INTO notification_preferences (org_id, user_id, in_app, email, kinds, digest_enabled, digest_hour)
       VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (org_id, user_id) DO UPDATE SET in_app = $3, email = $4, kinds = $5, digest_enabled = $6, digest_hour = $7,
         version = notification_preferences.version + 1, updated_at = now()
       RETURNING *`,
      [p.org_id, p.user_id, p.in_app, p.email, JSON.stringify(p.kinds), p.digest_enabled, p.digest_hour],
    );
    return r.rows[0];
  },
};

export const DEFAULT_PREFERENCES = {
  in_app: true,
  email: true,
  kinds: {} as Record<string, Channels>,
  digest_enabled: false,
  digest_hour: 9,
};

/** The channels a kind goes to for a user: the kind's own entry, else the user's defaults. */
export function channelsFor(
  p: Pick<PreferencesRow, 'in_app' | 'email' | 'kinds'> | undefined,
  kind: string,
): Channels {
  const own = p?.kinds?.[kind];
  if (own) return { inApp: own.inApp, email: own.email };
  return { inApp: p?.in_app ?? DEFAULT_PREFERENCES.in_app, email: p?.email ?? DEFAULT_PREFERENCES.email };
}
