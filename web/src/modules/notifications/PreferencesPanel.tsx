import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Flex, Select, Switch, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { type Channels, KNOWN_KINDS, kindKey, notificationsApi, type Preferences } from './api';

type Draft = Omit<Preferences, 'emailAvailable'>;
interface Row {
  kind: string;
  channels: Channels;
}

export function PreferencesPanel() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const fmt = useFormatters();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['notification-preferences'], queryFn: notificationsApi.preferences });
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (query.data) {
      const { emailAvailable: _ignored, ...rest } = query.data;
      setDraft(rest);
    }
  }, [query.data]);
  const save = useMutation({
    mutationFn: (d: Draft) => notificationsApi.savePreferences(d),
    onSuccess: (p) => {
      message.success(t('common.saved'));
      qc.setQueryData(['notification-preferences'], p);
    },
  });
  if (query.isError) return <Alert type="error" showIcon title={errorText(query.error, t)} />;
  if (!draft) return null;

  const label = (kind: string) => {
    const key = `notifications.kinds.${kindKey(kind)}`;
    return i18n.exists(key) ? t(key as 'notifications.kinds.default') : kind;
  };
  const kinds = [...new Set([...KNOWN_KINDS, ...Object.keys(draft.kinds)])];
  const rows: Row[] = [
    { kind: '', channels: { inApp: draft.inApp, email: draft.email } },
    ...kinds.map((kind) => ({
      kind,
      channels: draft.kinds[kind] ?? { inApp: draft.inApp, email: draft.email },
    })),
  ];
  const setChannel = (kind: string, channel: keyof Channels, value: boolean) => {
    if (!kind) return setDraft({ ...draft, [channel]: value });
    const current = draft.kinds[kind] ?? { inApp: draft.inApp, email: draft.email };
    setDraft({ ...draft, kinds: { ...draft.kinds, [kind]: { ...current, [channel]: value } } });
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 640 }}>
      {!query.data?.emailAvailable && (
        <Alert type="info" showIcon title={t('notifications.prefs.emailUnavailable')} />
      )}
      <Table<Row>
        rowKey={(r) => r.kind || 'default'}
        dataSource={rows}
        pagination={false}
        size="small"
        columns={[
          {
            title: t('notifications.prefs.kind'),
            render: (_, r) => (r.kind ? label(r.kind) : t('notifications.kinds.default')),
          },
          {
            title: t('notifications.prefs.inApp'),
            width: 90,
            render: (_, r) => (
              <Checkbox
                checked={r.channels.inApp}
                onChange={(e) => setChannel(r.kind, 'inApp', e.target.checked)}
              />
            ),
          },
          {
            title: t('notifications.prefs.email'),
            width: 90,
            render: (_, r) => (
              <Checkbox
                checked={r.channels.email}
                onChange={(e) => setChannel(r.kind, 'email', e.target.checked)}
              />
            ),
          },
        ]}
      />
      <Flex vertical gap={8}>
        <Flex gap={12} align="center">
          <Switch
            checked={draft.digest.enabled}
            onChange={(enabled) => setDraft({ ...draft, digest: { ...draft.digest, enabled } })}
          />
          <Typography.Text strong>{t('notifications.prefs.digest')}</Typography.Text>
          <Typography.Text type="secondary">{t('notifications.prefs.digestHour')}</Typography.Text>
          <Select
            style={{ width: 100 }}
            disabled={!draft.digest.enabled}
            value={draft.digest.hour}
            onChange={(hour) => setDraft({ ...draft, digest: { ...draft.digest, hour } })}
            options={Array.from({ length: 24 }, (_, h) => ({
              value: h,
              label: `${String(h).padStart(2, '0')}:00`,
            }))}
          />
          <Typography.Text type="secondary">{fmt.timeZone}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary">{t('notifications.prefs.digestHelp')}</Typography.Text>
      </Flex>
      {save.isError && <Alert type="error" showIcon title={errorText(save.error, t)} />}
      <div>
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate(draft)}>
          {t('common.save')}
        </Button>
      </div>
    </Flex>
  );
}
