import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '../../ui/errors';

/**
 * A create-or-update mutation for an admin form: invalidates the list, says so,
 * and puts 422 field errors on the form (other errors are returned for an Alert).
 */
export function useSave<V>(opts: {
  form: FormInstance;
  listKey: string;
  fields: string[];
  save: (v: V) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: opts.save,
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: [opts.listKey] });
      opts.onDone();
    },
    onError: (e) => {
      // Fields the form does not show (a refusal about the user or role itself) are said in a message.
      const leftover = Object.values(applyFieldErrors(opts.form, e, new Set(opts.fields)));
      if (leftover.length) message.error(leftover.join(' '));
    },
  });
}
