import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** A sentence for the user from any thrown error. */
export function errorText(e: unknown, t: TFunction): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('errors.network');
    // Field messages say what is wrong ("You cannot disable your own account"); the envelope's message only
    // that something is.
    const fields = Object.values(e.fields);
    if (fields.length) return fields.join(' ');
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
  const byField = new Map<string, string[]>();
  for (const [key, msg] of Object.entries(e.fields)) {
    // `permissions.3` or `teamIds.0` goes on the item that shows the whole list.
    const parts = key.split('.');
    let shown: string | undefined;
    for (let n = parts.length; n > 0 && !shown; n--) {
      const k = parts.slice(0, n).join('.');
      if (shownFields.has(k)) shown = k;
    }
    if (shown) byField.set(shown, [...(byField.get(shown) ?? []), msg]);
    else leftover[key] = msg;
  }
  for (const [key, errors] of byField) toSet.push({ name: fieldPath(key), errors });
  if (toSet.length) {
    form.setFields(toSet);
    form.scrollToField(toSet[0].name, { block: 'center' });
  }
  return leftover;
}
