import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import {
  type CalendarOverride,
  formatIntervals,
  type OverrideKind,
  parseIntervals,
  useCreateOverride,
  useDeleteOverride,
  useOverrides,
} from './api';

interface Values {
  date: Dayjs;
  kind: OverrideKind;
  name?: string;
  hours?: string;
  scope?: string;
}

const KIND_COLORS: Record<OverrideKind, string> = { holiday: 'red', workday: 'orange', hours: 'blue' };
const FORM_FIELDS = new Set(['date', 'kind', 'name', 'hours', 'scope']);

export function OverridesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const overrides = useOverrides();
  const create = useCreateOverride();
  const del = useDeleteOverride();
  const [open, setOpen] = useState(false);
  const [leftover, setLeftover] = useState<Record<string, string>>({});
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);

  function openModal() {
    form.resetFields();
    create.reset();
    setLeftover({});
    setOpen(true);
  }

  function onFinish(v: Values) {
    const hoursText = v.hours?.trim() ?? '';
    const hours = hoursText ? parseIntervals(hoursText) : null;
    setLeftover({});
    create.mutate(
      {
        date: v.date.format('YYYY-MM-DD'),
        kind: v.kind,
        name: v.name?.trim() ?? '',
        hours: v.kind === 'holiday' ? null : hours,
        scope: v.scope?.trim() || null,
      },
      {
        onSuccess: () => {
          message.success(t('common.created'));
          setOpen(false);
        },
        onError: (e) => {
          // Field errors on `hours.0…` go to the hours input; the rest to the form or the Alert.
          const fields = e instanceof Error && 'fields' in e ? (e.fields as Record<string, string>) : {};
          const toSet: { name: string; errors: string[] }[] = [];
          const rest: Record<string, string> = {};
          for (const [k, msg] of Object.entries(fields)) {
            const top = k.split('.')[0];
            if (FORM_FIELDS.has(top)) toSet.push({ name: top, errors: [msg] });
            else rest[k] = msg;
          }
          form.setFields(toSet as Parameters<typeof form.setFields>[0]);
          setLeftover(rest);
        },
      },
    );
  }

  const general =
    create.error && !(create.error as { fields?: Record<string, string> }).fields
      ? errorText(create.error, t)
      : Object.keys(leftover).length
        ? Object.entries(leftover)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')
        : null;

  return (
    <Card
      title={t('calendar.overrides.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={openModal}>
          {t('calendar.overrides.add')}
        </Button>
      }
    >
      {(overrides.isError || del.isError) && (
        <Alert
          type="error"
          showIcon
          title={errorText(overrides.error ?? del.error, t)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<CalendarOverride>
        rowKey="id"
        size="small"
        loading={overrides.isLoading}
        dataSource={[...(overrides.data ?? [])].sort((a, b) => a.date.localeCompare(b.date))}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('calendar.overrides.date'), dataIndex: 'date' },
          {
            title: t('calendar.overrides.kind'),
            dataIndex: 'kind',
            render: (k: OverrideKind) => (
              <Tag color={KIND_COLORS[k]}>{t(`calendar.overrides.kinds.${k}`)}</Tag>
            ),
          },
          {
            title: t('calendar.overrides.name'),
            dataIndex: 'name',
            render: (v: string) => v || t('common.none'),
          },
          {
            title: t('calendar.overrides.hours'),
            dataIndex: 'hours',
            render: (h: CalendarOverride['hours']) => formatIntervals(h) || t('common.none'),
          },
          {
            title: t('calendar.overrides.scope'),
            dataIndex: 'scope',
            render: (s: string | null) => s ?? t('calendar.overrides.allScopes'),
          },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Popconfirm
                title={t('common.confirmDelete')}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  del.mutateAsync(r.id).then(
                    () => void message.success(t('common.deleted')),
                    () => undefined,
                  )
                }
              >
                <Button size="small" danger icon={<DeleteOutlined />}>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('calendar.overrides.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        {general && <Alert type="error" showIcon title={general} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          name="calendar-override"
          layout="vertical"
          initialValues={{ kind: 'holiday' }}
          onFinish={onFinish}
        >
          <Form.Item name="date" label={t('calendar.overrides.date')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="kind" label={t('calendar.overrides.kind')} rules={[{ required: true }]}>
            <Select
              options={(['holiday', 'workday', 'hours'] as const).map((k) => ({
                value: k,
                label: t(`calendar.overrides.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('calendar.overrides.name')}>
            <Input maxLength={100} />
          </Form.Item>
          {kind !== 'holiday' && (
            <Form.Item
              name="hours"
              label={t('calendar.overrides.hours')}
              extra={t('calendar.overrides.hoursHelp')}
              rules={[
                { required: kind === 'hours' },
                {
                  validator: (_, v: string | undefined) =>
                    !v?.trim() || parseIntervals(v)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('calendar.overrides.hoursInvalid'))),
                },
              ]}
            >
              <Input placeholder="09:00-12:00, 13:00-18:00" />
            </Form.Item>
          )}
          <Form.Item
            name="scope"
            label={t('calendar.overrides.scope')}
            extra={t('calendar.overrides.scopeHelp')}
          >
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
