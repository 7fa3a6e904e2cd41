import { eventCatalog } from './events.ts';

/**
 * The domain-event catalog in the OpenAPI document, as OpenAPI 3.1 `webhooks`: one entry per event type, with
 * the body Kept POSTs to a subscribed endpoint and the headers it signs it with.
 */
export function eventWebhooks(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of eventCatalog()) {
    out[e.type] = {
      post: {
        summary: e.description.en,
        description: `${e.description['zh-CN']} · ${e.description.es}${e.recordType ? ` (record: ${e.recordType})` : ''}. Signed with \`X-Kept-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>\`; \`X-Kept-Event\` names the type, \`X-Kept-Delivery\` the delivery. Retried with backoff until the receiver answers 2xx; deduplicate on \`id\`.`,
        tags: ['Webhooks'],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['id', 'type', 'occurredAt', 'data'],
                properties: {
                  id: {
                    type: 'string',
                    format: 'uuid',
                    description: 'the event id (the same on every attempt)',
                  },
                  type: { type: 'string', const: e.type },
                  occurredAt: { type: 'string', format: 'date-time' },
                  data: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
        },
        responses: { '2XX': { description: 'received' } },
      },
    };
  }
  return out;
}

/** Wraps an OpenAPI transformObject so the document lists the event catalog under `webhooks`. */
export function withEventCatalog<T extends (...args: never[]) => unknown>(transform: T): T {
  return ((...args: Parameters<T>) => {
    const doc = transform(...args) as Record<string, unknown>;
    return { ...doc, webhooks: eventWebhooks() };
  }) as T;
}
