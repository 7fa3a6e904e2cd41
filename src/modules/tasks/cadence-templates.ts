import type { Locale } from '../../platform/i18n/i18n.ts';
import { t } from '../../platform/i18n/i18n.ts';
import type { CadenceStep } from './cadences.repo.ts';

export interface TemplateDef {
  key: string;
  name: string;
  description: string;
  recordType: string;
  steps: CadenceStep[];
  stopOn: string[];
}

/** The key of the built-in P6 unpaid-order reminder (催付). */
export const UNPAID_ORDER = 'unpaid_order';

/**
 * P6 催付: message → message → phone call → message, each step with an outcome; paying the order stops it.
 * Offsets are from the previous step's completion (the first from the start), in working time.
 */
export function builtinTemplates(locale: Locale): TemplateDef[] {
  const s = (n: number) => ({
    title: t(locale, `tasks.unpaid.step${n}`),
    script: t(locale, `tasks.unpaid.script${n}`),
  });
  return [
    {
      key: UNPAID_ORDER,
      name: t(locale, 'tasks.unpaid.name'),
      description: t(locale, 'tasks.unpaid.description'),
      recordType: 'order',
      stopOn: ['order.paid', 'order.cancelled'],
      steps: [
        { channel: 'message', ...s(1), offset: {} },
        { channel: 'message', ...s(2), offset: { workingHours: 2 } },
        { channel: 'call', ...s(3), offset: { workingHours: 4 } },
        { channel: 'message', ...s(4), offset: { workingDays: 1 } },
      ],
    },
  ];
}
