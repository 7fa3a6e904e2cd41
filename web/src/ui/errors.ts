import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** A sentence for the user from any thrown error. */
export function errorText(e: unknown, t: TFunction): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('errors.network');
    return e.message || t('errors.generic');
  }
  return t('errors.generic');
}

/** `custom.budget` → ['custom', 'budget']; `contacts.0.name` → ['contacts', 0, 'name']. */
export function fieldPath(key: string): (string | number)[] {
  return key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Puts the server's 422 field messages on the matching Form.Items.
 * Returns the messages for fields the form does not show, so the caller can list them.
 */
export function applyFieldErrors(
  form: FormInstance,
  e: unknown,
  shownFields: ReadonlySet<string>,
): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const leftover: Record<string, string> = {};
  const toSet: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [key, msg] of Object.entries(e.fields)) {
    if (shownFields.has(key)) toSet.push({ name: fieldPath(key), errors: [msg] });
    else leftover[key] = msg;
  }
  if (toSet.length) {
    form.setFields(toSet);
    form.scrollToField(toSet[0].name, { block: 'center' });
  }
  return leftover;
}
