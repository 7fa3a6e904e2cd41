import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Button, Card, Flex, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '../../api/client';
import { errorText } from '../../ui/errors';
import {
  type CalendarSettings,
  type Interval,
  type SettingsInput,
  useCalendarSettings,
  useSaveSettings,
  WEEKDAYS,
} from './api';

const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/Madrid',
  'Europe/London',
  'America/New_York',
  'America/Mexico_City',
  'UTC',
];

function toDraft(s: CalendarSettings): SettingsInput {
  return {
    timeZone: s.timeZone,
    workingHours: structuredClone(s.workingHours),
    scopedHours: s.scopedHours,
    quietHours: structuredClone(s.quietHours),
  };
}

/** Editable start–end pairs; `path` is the API field path of the list (for 422 messages). */
function IntervalList({
  value,
  onChange,
  path,
  fieldErrors,
  emptyText,
}: {
  value: Interval[];
  onChange: (next: Interval[]) => void;
  path: string;
  fieldErrors: Record<string, string>;
  emptyText?: string;
}) {
  const { t } = useTranslation();
  const listError = fieldErrors[path];
  const set = (i: number, j: 0 | 1, v: string) =>
    onChange(value.map((iv, k) => (k === i ? ((j === 0 ? [v, iv[1]] : [iv[0], v]) as Interval) : iv)));
  return (
    <Flex vertical gap={4}>
      {value.length === 0 && emptyText && <Typography.Text type="secondary">{emptyText}</Typography.Text>}
      {value.map((iv, i) => {
        const err =
          fieldErrors[`${path}.${i}`] ?? fieldErrors[`${path}.${i}.0`] ?? fieldErrors[`${path}.${i}.1`];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
          <Flex key={i} vertical>
            <Space size={4}>
              <Input
                size="small"
                style={{ width: 76 }}
                value={iv[0]}
                placeholder="09:00"
                status={err ? 'error' : undefined}
                aria-label={`${path}.${i}.start`}
                onChange={(e) => set(i, 0, e.target.value)}
              />
              <span>–</span>
              <Input
                size="small"
                style={{ width: 76 }}
                value={iv[1]}
                placeholder="18:00"
                status={err ? 'error' : undefined}
                aria-label={`${path}.${i}.end`}
                onChange={(e) => set(i, 1, e.target.value)}
              />
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('common.delete')}
                onClick={() => onChange(value.filter((_, k) => k !== i))}
              />
            </Space>
            {err && <Typography.Text type="danger">{err}</Typography.Text>}
          </Flex>
        );
      })}
      {listError && <Typography.Text type="danger">{listError}</Typography.Text>}
      <div>
        <Button
          size="small"
          type="dashed"
          icon={<PlusOutlined />}
          disabled={value.length >= 8}
          onClick={() => onChange([...value, ['', '']])}
        >
          {t('calendar.settings.addInterval')}
        </Button>
      </div>
    </Flex>
  );
}

export function SettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useCalendarSettings();
  const save = useSaveSettings();
  const [draft, setDraft] = useState<SettingsInput | null>(null);
  const data = query.data;

  // (Re)load the draft whenever a new version arrives from the server.
  useEffect(() => {
    if (data) setDraft(toDraft(data.settings));
  }, [data]);

  const fieldErrors = save.error instanceof ApiError ? save.error.fields : {};
  const stale = isApiError(save.error, 412);

  async function reload() {
    save.reset();
    const r = await query.refetch();
    if (r.data) setDraft(toDraft(r.data.settings));
  }

  function onSave() {
    if (!draft || !data) return;
    save.mutate(
      { body: draft, etag: data.etag ?? `"${data.settings.version}"` },
      { onSuccess: () => message.success(t('common.saved')) },
    );
  }

  const zoneOptions = ZONES.map((z) => ({ value: z }));

  return (
    <Card
      title={t('calendar.settings.title')}
      loading={query.isLoading}
      extra={
        <Button type="primary" onClick={onSave} loading={save.isPending} disabled={!draft}>
          {t('common.save')}
        </Button>
      }
    >
      {query.isError && (
        <Alert type="error" showIcon title={errorText(query.error, t)} style={{ marginBottom: 16 }} />
      )}
      {stale && (
        <Alert
          type="warning"
          showIcon
          title={t('calendar.settings.stale')}
          action={
            <Button size="small" onClick={() => void reload()}>
              {t('common.reload')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {save.error && !stale && (
        <Alert
          type="error"
          showIcon
          title={Object.keys(fieldErrors).length ? t('calendar.settings.invalid') : errorText(save.error, t)}
          description={
            Object.keys(fieldErrors).length ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {Object.entries(fieldErrors).map(([k, v]) => (
                  <li key={k}>
                    <code>{k}</code>: {v}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {draft && (
        <Form layout="vertical" component="div">
          <Form.Item
            label={t('calendar.settings.timeZone')}
            validateStatus={fieldErrors.timeZone ? 'error' : undefined}
            help={fieldErrors.timeZone}
          >
            <AutoComplete
              style={{ maxWidth: 280 }}
              options={zoneOptions}
              value={draft.timeZone}
              onChange={(v: string) => setDraft({ ...draft, timeZone: v })}
            />
          </Form.Item>
          <Form.Item label={t('calendar.settings.workingHours')}>
            <Flex wrap gap={16}>
              {WEEKDAYS.map((d) => (
                <Card key={d} size="small" title={t(`calendar.weekdays.${d}`)} style={{ minWidth: 230 }}>
                  <IntervalList
                    value={draft.workingHours[d] ?? []}
                    path={`workingHours.${d}`}
                    fieldErrors={fieldErrors}
                    emptyText={t('calendar.settings.closed')}
                    onChange={(next) =>
                      setDraft({ ...draft, workingHours: { ...draft.workingHours, [d]: next } })
                    }
                  />
                </Card>
              ))}
            </Flex>
          </Form.Item>
          <Form.Item label={t('calendar.settings.quietHours')} extra={t('calendar.settings.quietHelp')}>
            <IntervalList
              value={draft.quietHours}
              path="quietHours"
              fieldErrors={fieldErrors}
              onChange={(next) => setDraft({ ...draft, quietHours: next })}
            />
          </Form.Item>
          {data && (
            <Typography.Text type="secondary">
              {t('calendar.settings.coverage', { year: data.settings.coverage })}
            </Typography.Text>
          )}
        </Form>
      )}
    </Card>
  );
}
