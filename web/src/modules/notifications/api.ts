import { client, unwrap } from '../../api/client';
import { fetchAll, type PageParams } from '../../api/paging';
import type { BodyOf, Schema } from '../../api/types';

export type Notification = Schema<'Notification'>;
export type Preferences = Schema<'NotificationPreferences'>;
export type Channels = Preferences['kinds'][string];
export type WebhookEndpoint = Schema<'WebhookEndpoint'>;
export type WebhookDelivery = Schema<'WebhookDelivery'>;
export type DeliveryStatus = WebhookDelivery['status'];
export type EndpointInput = BodyOf<'/api/v1/webhooks', 'post'>;

/** Kinds the preferences page lists (others a user receives appear once they have their own setting). */
export const KNOWN_KINDS = ['task.assigned', 'process.transitioned', 'sla.warning', 'sla.breached'] as const;

export const NOTIFICATIONS_KEY = ['notifications'] as const;
export const STREAM_URL = '/api/v1/notifications/stream';

const byId = (id: string) => ({ params: { path: { id } } });

export const notificationsApi = {
  list: (unread: boolean, limit = 50) =>
    unwrap(
      client.GET('/api/v1/notifications', { params: { query: { unread: unread ? '1' : undefined, limit } } }),
    ),
  /** The inbox a page at a time (usePagedList); the first page carries the unread count. */
  inboxPage: (unread: boolean) => (page: PageParams, signal?: AbortSignal) =>
    client.GET('/api/v1/notifications', {
      params: { query: { unread: unread ? '1' : undefined, ...page } },
      signal,
    }),
  markRead: (id: string) => unwrap(client.POST('/api/v1/notifications/{id}/read', byId(id))),
  markAllRead: () => unwrap(client.POST('/api/v1/notifications/read-all')),
  preferences: () => unwrap(client.GET('/api/v1/notifications/preferences')),
  savePreferences: (body: BodyOf<'/api/v1/notifications/preferences', 'put'>) =>
    unwrap(client.PUT('/api/v1/notifications/preferences', { body })),
  webhooks: () => fetchAll((page) => client.GET('/api/v1/webhooks', { params: { query: page } })),
  createWebhook: (body: EndpointInput) => unwrap(client.POST('/api/v1/webhooks', { body })),
  updateWebhook: (id: string, body: BodyOf<'/api/v1/webhooks/{id}', 'patch'>) =>
    unwrap(client.PATCH('/api/v1/webhooks/{id}', { ...byId(id), body })),
  deleteWebhook: (id: string) => unwrap(client.DELETE('/api/v1/webhooks/{id}', byId(id))),
  /** An endpoint's deliveries, newest first, a page at a time (usePagedList). */
  deliveriesPage: (id: string) => (page: PageParams, signal?: AbortSignal) =>
    client.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: page }, signal }),
  testWebhook: (id: string) => unwrap(client.POST('/api/v1/webhooks/{id}/test', byId(id))),
  settings: () => unwrap(client.GET('/api/v1/webhooks/settings')),
  saveSettings: (allowPrivateTargets: boolean) =>
    unwrap(client.PUT('/api/v1/webhooks/settings', { body: { allowPrivateTargets } })),
};

/** The catalog key of a kind's label ('sla.breached' → 'sla_breached'). */
export const kindKey = (kind: string) => kind.replaceAll('.', '_');
