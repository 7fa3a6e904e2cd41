import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import type { Page, PageRequest } from '../../platform/db/paging.ts';
import { type Consumer, typeMatches } from '../../platform/events/dispatcher.ts';
import { assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import { type IoTimerHandler, retryDelayMs, scheduleTimer } from '../../platform/jobs/timers.ts';
import { authorize } from './notifications.policy.ts';
import { hostReason } from './ssrf.ts';
import { type DeliveryRow, type EndpointRow, webhooksRepo as repo } from './webhooks.repo.ts';
import { type SendResult, sendWebhook } from './webhooks.send.ts';

export const WEBHOOK_DELIVER = 'webhook.deliver';
const EVENT_RE = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/;

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string;
  active?: boolean;
}

/** The endpoint as the audit trail sees it: never the secret. */
const audited = (e: EndpointRow) => {
  const { secret: _secret, ...rest } = e;
  return rest;
};

function validUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw fieldError('url', 'validation.webhook_url');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || u.username || u.password) {
    throw fieldError('url', 'validation.webhook_url');
  }
  return u.toString();
}

/**
 * Refuses at save a URL whose host is internal in any spelling (localhost, literal loopback/private/… addresses,
 * IPv4 inside IPv6), unless the org allows private targets. Names that resolve inward are caught at send time.
 */
async function assertPublicTarget(tx: Tx, orgId: string, url: string): Promise<void> {
  const { hostname } = new URL(url);
  if (!hostReason(hostname) || (await repo.allowPrivate(tx, orgId))) return;
  throw fieldError('url', 'validation.webhook_private', { host: hostname });
}

function validEvents(events: string[]): string[] {
  const out = [...new Set(events.map((e) => e.trim()))];
  if (!out.length || out.some((e) => !EVENT_RE.test(e) || e.length > 100))
    throw fieldError('events', 'validation.webhook_event');
  return out.sort();
}

const newSecret = () => `whsec_${randomBytes(24).toString('hex')}`;

/** Outbound webhooks: endpoints (admin), deliveries (one per endpoint and event), the per-org SSRF setting. */
interface Send {
  deliveryId: string;
  endpointId: string;
  url: string;
  secret: string;
  body: string;
  event: string;
  allowPrivate: boolean;
}

export function makeWebhooksService(db: Db, config: Pick<Config, 'webhookMaxAttempts'>) {
  /** One delivery of one event to one endpoint; body {id, type, occurredAt, data}, id = the event's id. */
  async function queueDelivery(
    tx: Tx,
    orgId: string,
    endpointId: string,
    event: { id: string; type: string; occurredAt: Date; data: unknown },
    now: Date,
  ): Promise<DeliveryRow> {
    const id = randomUUID();
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: event.data ?? null,
    });
    const d = await repo.insertDelivery(tx, {
      orgId,
      id,
      endpointId,
      event: event.type,
      body,
      nextAttemptAt: now,
    });
    await scheduleTimer(tx, {
      orgId,
      key: `${WEBHOOK_DELIVER}:${id}:1`,
      kind: WEBHOOK_DELIVER,
      dueAt: now,
      refType: 'webhook_delivery',
      refId: id,
      payload: { deliveryId: id, attempt: 1 },
      maxAttempts: 3,
    });
    return d;
  }

  async function getEndpoint(ctx: Ctx, id: string, q: Db | Tx = db, forUpdate = false): Promise<EndpointRow> {
    const e = await repo.byId(q, ctx.orgId, assertId(id), forUpdate);
    if (!e) throw notFound();
    return e;
  }

  /**
   * Timer 'webhook.deliver', one attempt: what to send is read in the claiming transaction, the POST happens
   * after commit (never inside a transaction), and the outcome is recorded in a short transaction of its own.
   * A failure schedules the next attempt with backoff, up to the maximum; a success brings the endpoint's
   * waiting retries forward, so a receiver that was down gets its backlog as soon as it answers again.
   */
  const deliver: IoTimerHandler<Send, SendResult> = {
    leaseMs: 60_000,
    async prepare(tx, timer) {
      const deliveryId = String(timer.payload.deliveryId ?? '');
      const d = await repo.deliveryForUpdate(tx, timer.org_id, deliveryId);
      if (!d || d.status !== 'pending') return null;
      const endpoint = await repo.byId(tx, timer.org_id, d.endpoint_id);
      if (!endpoint) return null;
      if (!endpoint.active) {
        await repo.markFailed(tx, d.org_id, d.id, 'the endpoint is disabled');
        return null;
      }
      return {
        deliveryId: d.id,
        endpointId: endpoint.id,
        url: endpoint.url,
        secret: endpoint.secret,
        body: d.body,
        event: d.event,
        allowPrivate: await repo.allowPrivate(tx, d.org_id),
      };
    },
    perform: (s) =>
      sendWebhook({
        url: s.url,
        secret: s.secret,
        body: s.body,
        event: s.event,
        deliveryId: s.deliveryId,
        allowPrivate: s.allowPrivate,
      }),
    async complete(tx, timer, s, outcome, { now }) {
      const d = await repo.deliveryForUpdate(tx, timer.org_id, s.deliveryId);
      if (!d || d.status !== 'pending') return;
      const r: SendResult = outcome.ok ? outcome.value : { outcome: 'network_error', error: outcome.error };
      const attempts = d.attempts + 1;
      const statusCode = 'statusCode' in r ? r.statusCode : null;
      if (r.outcome === 'ok') {
        await repo.recordAttempt(tx, d.org_id, d.id, {
          status: 'succeeded',
          statusCode,
          error: null,
          at: now,
          next: null,
          delivered: now,
        });
        await repo.bringRetriesForward(tx, d.org_id, d.endpoint_id, now);
        return;
      }
      if (r.outcome === 'refused') {
        await repo.recordAttempt(tx, d.org_id, d.id, {
          status: 'refused',
          statusCode: null,
          error: r.error,
          at: now,
          next: null,
          delivered: null,
        });
        return;
      }
      const giveUp = attempts >= config.webhookMaxAttempts;
      const next = giveUp ? null : new Date(now.getTime() + retryDelayMs(attempts));
      await repo.recordAttempt(tx, d.org_id, d.id, {
        status: giveUp ? 'failed' : 'pending',
        statusCode,
        error: r.error,
        at: now,
        next,
        delivered: null,
      });
      if (next) {
        await scheduleTimer(tx, {
          orgId: d.org_id,
          key: `${WEBHOOK_DELIVER}:${d.id}:${attempts + 1}`,
          kind: WEBHOOK_DELIVER,
          dueAt: next,
          refType: 'webhook_delivery',
          refId: d.id,
          payload: { deliveryId: d.id, attempt: attempts + 1 },
          maxAttempts: 3,
        });
      }
    },
  };

  /** Webhooks hear every domain event: one delivery per active endpoint subscribed to its type (or to '*'). */
  const consumer: Consumer = {
    name: 'webhooks',
    types: ['*'],
    async handle(tx, e, c) {
      const key = `webhooks:${e.orgId}`;
      let endpoints = c.memo.get(key) as EndpointRow[] | undefined;
      if (!endpoints) {
        endpoints = await repo.active(tx, e.orgId);
        c.memo.set(key, endpoints);
      }
      for (const endpoint of endpoints) {
        if (!typeMatches(endpoint.events, e.type)) continue;
        await queueDelivery(tx, e.orgId, endpoint.id, e, c.now);
      }
    },
  };

  return {
    deliver,
    consumer,

    async list(ctx: Ctx, page: PageRequest) {
      authorize(ctx, 'webhook.list');
      return repo.list(db, ctx.orgId, page);
    },

    async get(ctx: Ctx, id: string) {
      authorize(ctx, 'webhook.list');
      return getEndpoint(ctx, id);
    },

    /** Creates an endpoint; the returned row carries the secret, shown this once. */
    async create(ctx: Ctx, input: EndpointInput): Promise<EndpointRow> {
      authorize(ctx, 'webhook.create');
      const url = validUrl(input.url);
      const events = validEvents(input.events);
      return db.transaction(async (tx) => {
        await assertPublicTarget(tx, ctx.orgId, url);
        const row = await repo.insert(tx, {
          orgId: ctx.orgId,
          id: randomUUID(),
          url,
          secret: newSecret(),
          events,
          active: input.active ?? true,
          description: input.description?.trim() ?? '',
          createdBy: ctx.actor.userId,
        });
        await recordAudit(tx, ctx, {
          action: 'webhook.create',
          entityType: 'webhook_endpoint',
          entityId: row.id,
          after: audited(row),
        });
        return row;
      });
    },

    /** Updates an endpoint; `rotateSecret` issues a new secret, returned this once. */
    async update(
      ctx: Ctx,
      id: string,
      patch: Partial<EndpointInput> & { rotateSecret?: boolean },
    ): Promise<EndpointRow> {
      authorize(ctx, 'webhook.update');
      return db.transaction(async (tx) => {
        const before = await getEndpoint(ctx, id, tx, true);
        const url = patch.url === undefined ? before.url : validUrl(patch.url);
        if (patch.url !== undefined) await assertPublicTarget(tx, ctx.orgId, url);
        const row = await repo.update(tx, ctx.orgId, before.id, {
          url,
          events: patch.events === undefined ? before.events : validEvents(patch.events),
          active: patch.active ?? before.active,
          description: patch.description?.trim() ?? before.description,
          secret: patch.rotateSecret ? newSecret() : before.secret,
        });
        await recordAudit(tx, ctx, {
          action: 'webhook.update',
          entityType: 'webhook_endpoint',
          entityId: row.id,
          before: audited(before),
          after: audited(row),
          meta: patch.rotateSecret ? { secretRotated: true } : undefined,
        });
        return row;
      });
    },

    async remove(ctx: Ctx, id: string): Promise<void> {
      authorize(ctx, 'webhook.delete');
      await db.transaction(async (tx) => {
        const before = await getEndpoint(ctx, id, tx, true);
        await repo.remove(tx, ctx.orgId, before.id);
        await recordAudit(tx, ctx, {
          action: 'webhook.delete',
          entityType: 'webhook_endpoint',
          entityId: before.id,
          before: audited(before),
          after: null,
        });
      });
    },

    async deliveries(ctx: Ctx, id: string, page: PageRequest): Promise<Page<DeliveryRow>> {
      authorize(ctx, 'webhook.deliveries');
      const e = await getEndpoint(ctx, id);
      return repo.deliveries(db, ctx.orgId, e.id, page);
    },

    /** Queues a 'webhook.test' delivery to this endpoint, whatever it subscribes to. */
    async test(ctx: Ctx, id: string): Promise<DeliveryRow> {
      authorize(ctx, 'webhook.test');
      return db.transaction(async (tx) => {
        const e = await getEndpoint(ctx, id, tx);
        const now = new Date();
        const d = await queueDelivery(
          tx,
          ctx.orgId,
          e.id,
          {
            id: randomUUID(),
            type: 'webhook.test',
            occurredAt: now,
            data: { message: 'Test delivery from Kept', by: ctx.actor.name },
          },
          now,
        );
        await recordAudit(tx, ctx, {
          action: 'webhook.test',
          entityType: 'webhook_endpoint',
          entityId: e.id,
          meta: { deliveryId: d.id },
        });
        return d;
      });
    },

    async settings(ctx: Ctx) {
      authorize(ctx, 'webhook.settings');
      return { allowPrivateTargets: await repo.allowPrivate(db, ctx.orgId) };
    },

    async updateSettings(ctx: Ctx, input: { allowPrivateTargets: boolean }) {
      authorize(ctx, 'webhook.settings');
      return db.transaction(async (tx) => {
        const before = await repo.allowPrivate(tx, ctx.orgId);
        const row = await repo.setAllowPrivate(tx, ctx.orgId, input.allowPrivateTargets);
        await recordAudit(tx, ctx, {
          action: 'webhook.settings.update',
          entityType: 'webhook_settings',
          entityId: null,
          before: { allow_private_targets: before },
          after: { allow_private_targets: row.allow_private_targets },
        });
        return { allowPrivateTargets: row.allow_private_targets };
      });
    },
  };
}

export type WebhooksService = ReturnType<typeof makeWebhooksService>;
