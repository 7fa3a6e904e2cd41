import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import { updateTask, useLabel, useTaskTypes } from '../tasks/api';
import { completeTask, keepPromise, type MyDayItem, myDayKeys } from './api';

interface Props {
  item: MyDayItem | null;
  onClose: () => void;
}

/** Complete a task (outcome required) or mark a promise kept (note required): the closed loop. */
export function CloseItemModal({ item, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ text?: string; outcomeCode?: string }>();
  const isTask = item?.type !== 'promise';
  // A task whose type codes its outcomes (call back: reached, no answer…) closes with one of them.
  const types = useTaskTypes(Boolean(item) && isTask);
  const label = useLabel();
  const codes = (isTask && (types.data ?? []).find((x) => x.key === item?.kind)?.outcomes) || [];
  const save = useMutation({
    mutationFn: async ({ it, text, outcomeCode }: { it: MyDayItem; text: string; outcomeCode?: string }) => {
      if (it.type === 'task' && outcomeCode)
        await updateTask(it.id, { status: 'done', outcomeCode, outcome: text || undefined });
      else if (it.type === 'task') await completeTask(it.id, text);
      else await keepPromise(it.id, text);
    },
    onSuccess: (_d, v) => {
      message.success(t(v.it.type === 'task' ? 'tasks.completed' : 'myday.kept'));
      onClose();
      void qc.invalidateQueries({ queryKey: myDayKeys.all });
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    },
  });

  return (
    <Modal
      open={Boolean(item)}
      title={`${t(isTask ? 'tasks.completeTitle' : 'myday.keepTitle')}${item ? ` · ${item.title}` : ''}`}
      okText={t(isTask ? 'myday.complete' : 'myday.keep')}
      okButtonProps={{ 'data-testid': 'close-item-ok' } as Record<string, string>}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        save.reset();
      }}
      forceRender
    >
      {save.isError && (
        <Alert type="error" showIcon title={errorText(save.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form
        name="closeItem"
        form={form}
        layout="vertical"
        onFinish={(v) =>
          item && save.mutate({ it: item, text: (v.text ?? '').trim(), outcomeCode: v.outcomeCode })
        }
      >
        {codes.length > 0 && (
          <Form.Item
            name="outcomeCode"
            label={t('dayOne.task.outcomeCode')}
            rules={[{ required: true, message: t('dayOne.task.outcomeCodeRequired') }]}
          >
            <Select
              data-testid="close-item-code"
              options={codes.map((o) => ({ value: o.code, label: label(o.label, o.code) }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="text"
          label={codes.length ? t('dayOne.task.note') : t(isTask ? 'tasks.outcome' : 'myday.keepNote')}
          rules={
            codes.length
              ? []
              : [
                  {
                    required: true,
                    whitespace: true,
                    message: t(isTask ? 'tasks.outcomeRequired' : 'myday.keepNoteRequired'),
                  },
                ]
          }
        >
          <Input.TextArea autoSize={{ minRows: 3 }} data-testid="close-item-text" maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
