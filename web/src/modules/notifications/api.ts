import { api, request } from '../../api/client';
import { fetchAll, type Paged } from '../../api/paging';

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  /** The record it is about: opening the notification opens it. */
  record: { type: string; id: string } | null;
  data: Record<string, unknown>;
  readAt: string | null;
  createdAt: string;
}

export interface Channels {
  inApp: boolean;
  email: boolean;
}

export interface Preferences {
  inApp: boolean;
  email: boolean;
  kinds: Record<string, Channels>;
  digest: { enabled: boolean; hour: number };
  emailAvailable: boolean;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  description: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'refused';

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string;
  active?: boolean;
}

/** Kinds the preferences page lists (others a user receives appear once they have their own setting). */
export const KNOWN_KINDS = ['task.assigned', 'process.transitioned', 'sla.warning', 'sla.breached'] as const;

export const NOTIFICATIONS_KEY = ['notifications'] as const;
export const STREAM_URL = '/api/v1/notifications/stream';

export const notificationsApi = {
  list: (unread: boolean, limit = 50, cursor: string | null = null) =>
    api.get<{ items: Notification[]; nextCursor: string | null; unread: number }>('/notifications', {
      unread: unread ? 1 : undefined,
      limit,
      cursor,
    }),
  markRead: (id: string) => api.post<Notification>(`/notifications/${encodeURIComponent(id)}/read`),
  markAllRead: () => api.post<{ updated: number }>('/notifications/read-all'),
  preferences: () => api.get<Preferences>('/notifications/preferences'),
  savePreferences: async (p: Omit<Preferences, 'emailAvailable'>) =>
    (await request<Preferences>('/notifications/preferences', { method: 'PUT', body: p })).data,
  webhooks: () => fetchAll<WebhookEndpoint>('/webhooks'),
  createWebhook: (input: EndpointInput) => api.post<WebhookEndpoint>('/webhooks', input),
  updateWebhook: (id: string, patch: Partial<EndpointInput> & { rotateSecret?: boolean }) =>
    api.patch<WebhookEndpoint>(`/webhooks/${encodeURIComponent(id)}`, patch),
  deleteWebhook: (id: string) => api.del(`/webhooks/${encodeURIComponent(id)}`),
  deliveries: (id: string, cursor: string | null = null) =>
    api.get<Paged<WebhookDelivery>>(`/webhooks/${encodeURIComponent(id)}/deliveries`, { cursor }),
  testWebhook: (id: string) => api.post<WebhookDelivery>(`/webhooks/${encodeURIComponent(id)}/test`),
  settings: () => api.get<{ allowPrivateTargets: boolean }>('/webhooks/settings'),
  saveSettings: async (allowPrivateTargets: boolean) =>
    (
      await request<{ allowPrivateTargets: boolean }>('/webhooks/settings', {
        method: 'PUT',
        body: { allowPrivateTargets },
      })
    ).data,
};

/** The catalog key of a kind's label ('sla.breached' → 'sla_breached'). */
export const kindKey = (kind: string) => kind.replaceAll('.', '_');
