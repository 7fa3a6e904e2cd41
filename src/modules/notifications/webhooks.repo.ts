import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

const ENDPOINTS_SORT = sortOf('webhooks', [{ sql: 'w.created_at', type: 'timestamptz' }], 'w.id');
const DELIVERIES_SORT = sortOf(
  'webhookDeliveries',
  [{ sql: 'd.created_at', type: 'timestamptz', desc: true }],
  'd.id',
);

export interface EndpointRow {
  org_id: string;
  id: string;
  url: string;
  secret: string;
  events: string[];
  active: boolean;
  description: string;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  org_id: string;
  id: string;
  endpoint_id: string;
  event: string;
  body: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refused';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

export const webhooksRepo = {
  async allowPrivate(q: Queryable, orgId: string): Promise<boolean> {
    const r = await q.query<{ allow_private_targets: boolean }>(
      'SELECT allow_private_targets FROM webhook_settings WHERE org_id = $1',
      [orgId],
    );
    return r.rows[0]?.allow_private_targets ?? false;
  },
  async setAllowPrivate(q: Queryable, orgId: string, allow: boolean) {
    const r = await q.query<{ org_id: string; allow_private_targets: boolean; version: number }>(
      `INSERT INTO webhook_settings (org_id, allow_private_targets) VALUES ($1, $2)
       ON CONFLICT (org_id) DO UPDATE SET allow_private_targets = $2, version = webhook_settings.version + 1, updated_at = now()
       RETURNING org_id, allow_private_targets, version`,
      [orgId, allow],
    );
    return r.rows[0];
  },
  /** One page of endpoints, oldest first. */
  async list(q: Queryable, orgId: string, page: PageRequest) {
    return fetchPage<EndpointRow>(
      q,
      ENDPOINTS_SORT,
      page,
      [orgId],
      (k) =>
        `SELECT w.*, ${k.columns} FROM webhook_endpoints w WHERE w.org_id = $1 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async byId(q: Queryable, orgId: string, id: string, forUpdate = false) {
    const r = await q.query<EndpointRow>(
      `SELECT * FROM webhook_endpoints WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [orgId, id],
    );
    return r.rows[0];
  },
  async insert(
    q: Queryable,
    e: {
      orgId: string;
      id: string;
      url: string;
      secret: string;
      events: string[];
      active: boolean;
      description: string;
      createdBy: string | null;
    },
  ) {
    const r = await q.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (org_id, id, url, secret, events, active, description, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
      [e.orgId, e.id, e.url, e.secret, e.events, e.active, e.description, e.createdBy],
    );
    return r.rows[0];
  },
  async update(
    q: Queryable,
    orgId: string,
    id: string,
    p: { url: string; secret: string; events: string[]; active: boolean; description: string },
  ) {
    const r = await q.query<EndpointRow>(
      `UPDATE webhook_endpoints SET url = $3, secret = $4, events = $5, active = $6, description = $7,
         version = version + 1, updated_at = now()
       WHERE org_id = $1 AND id = $2 RETURNING *`,
      [orgId, id, p.url, p.secret, p.events, p.active, p.description],
    );
    return r.rows[0];
  },
  async remove(q: Queryable, orgId: string, id: string) {
    await q.query('DELETE FROM webhook_endpoints WHERE org_id = $1 AND id = $2', [orgId, id]);
  },
  async active(q: Queryable, orgId: string) {
    return (
      await q.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE org_id = $1 AND active ORDER BY id', [
        orgId,
      ])
    ).rows;
  },
  /** After a success: the endpoint's deliveries waiting for a retry are due now (leased attempts in flight are left alone). */
  async bringRetriesForward(q: Queryable, orgId: string, endpointId: string, now: Date) {
    await q.query(
      `UPDATE timers t SET due_at = $3 FROM webhook_deliveries d
       WHERE d.org_id = $1 AND d.endpoint_id = $2 AND d.status = 'pending'
         AND t.org_id = d.org_id AND t.ref_type = 'webhook_delivery' AND t.ref_id = d.id
         AND t.kind = 'webhook.deliver' AND t.status = 'pending' AND t.attempts = 0 AND t.due_at > $3`,
      [orgId, endpointId, now],
    );
  },
  async subscribed(q: Queryable, orgId: string, event: string) {
    return (
      await q.query<EndpointRow>(
        `SELECT * FROM webhook_endpoints WHERE org_id = $1 AND active AND ($2 = ANY(events) OR '*' = ANY(events)) ORDER BY id`,
        [orgId, event],
      )
    ).rows;
  },
  async insertDelivery(
    q: Queryable,
    d: { orgId: string; id: string; endpointId: string; event: string; body: string; nextAttemptAt: Date },
  ) {
    const r = await q.query<DeliveryRow>(
      `INSERT INTO webhook_deliveries (org_id, id, endpoint_id, event, body, next_attempt_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
      [d.orgId, d.id, d.endpointId, d.event, d.body, d.nextAttemptAt],
    );
    return r.rows[0];
  },
  async deliveryForUpdate(q: Queryable, orgId: string, id: string) {
    const r = await q.query<DeliveryRow>(
      'SELECT * FROM webhook_deliveries WHERE org_id = $1 AND id = $2 FOR UPDATE',
      [orgId, id],
    );
    return r.rows[0];
  },
  async recordAttempt(
    q: Queryable,
    orgId: string,
    id: string,
    p: {
      status: DeliveryRow['status'];
      statusCode: number | null;
      error: string | null;
      at: Date;
      next: Date | null;
      delivered: Date | null;
    },
  ) {
    await q.query(
      `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, last_status_code = $4, last_error = $5,
         last_attempt_at = $6, next_attempt_at = $7, delivered_at = $8
       WHERE org_id = $1 AND id = $2`,
      [orgId, id, p.status, p.statusCode, p.error?.slice(0, 2000) ?? null, p.at, p.next, p.delivered],
    );
  },
  async markFailed(q: Queryable, orgId: string, id: string, error: string) {
    await q.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = $3, next_attempt_at = NULL WHERE org_id = $1 AND id = $2`,
      [orgId, id, error],
    );
  },
  /** One page of an endpoint's deliveries, newest first. */
  async deliveries(q: Queryable, orgId: string, endpointId: string, page: PageRequest) {
    return fetchPage<DeliveryRow>(
      q,
      DELIVERIES_SORT,
      page,
      [orgId, endpointId],
      (k) =>
        `SELECT d.*, ${k.columns} FROM webhook_deliveries d WHERE d.org_id = $1 AND d.endpoint_id = $2
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
};
