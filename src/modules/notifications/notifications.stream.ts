import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.ts';
import type { NotificationRow } from './notifications.repo.ts';

/**
 * The live notification stream (Server-Sent Events). Each connection polls its user's recent notifications
 * (an indexed query every `pollMs`), so it works the same on embedded PGlite and when several Kept processes
 * share one PostgreSQL: whichever process committed the row, every stream sees it. The query looks back over a
 * window (not "since my last poll"), so a transaction that commits late is still seen; ids already sent are
 * remembered for that window. Notifications that existed when the stream opened are not replayed.
 */
export interface StreamOptions {
  pollMs?: number;
  heartbeatMs?: number;
  windowSeconds?: number;
}

export interface StreamSource {
  recent(orgId: string, userId: string, windowSeconds: number): Promise<NotificationRow[]>;
}

type Present = (n: NotificationRow, req: FastifyRequest) => unknown;

export function makeStreamHub(app: App, source: StreamSource, present: Present, opts: StreamOptions = {}) {
  const pollMs = opts.pollMs ?? 1500;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const windowSeconds = opts.windowSeconds ?? 120;
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  return async function stream(req: FastifyRequest, reply: FastifyReply, orgId: string, userId: string) {
    // Ids present at connect time are "seen": only what is created afterwards is pushed.
    const seen = new Map<string, number>();
    for (const n of await source.recent(orgId, userId, windowSeconds)) seen.set(n.id, Date.now());

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);

    let closed = false;
    let polling = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(heartbeat);
      open.delete(close);
      if (!res.writableEnded) res.end();
    };
    open.add(close);

    const poll = setInterval(async () => {
      if (polling || closed) return;
      polling = true;
      try {
        const rows = await source.recent(orgId, userId, windowSeconds);
        for (const n of rows) {
          if (closed || seen.has(n.id)) continue;
          seen.set(n.id, Date.now());
          res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(present(n, req))}\n\n`);
        }
        const horizon = Date.now() - windowSeconds * 2000;
        for (const [id, at] of seen) if (at < horizon) seen.delete(id);
      } catch (err) {
        req.log.warn({ err }, 'notification stream poll failed');
        close();
      } finally {
        polling = false;
      }
    }, pollMs);
    const heartbeat = setInterval(() => {
      if (!closed) res.write(': ping\n\n');
    }, heartbeatMs);

    req.raw.on('close', close);
    res.on('close', close);
    res.on('error', close);
    return reply;
  };
}
