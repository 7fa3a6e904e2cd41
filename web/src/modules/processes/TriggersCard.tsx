import { Button, Card, Empty, Flex, Select, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEventTypes } from '../records/api';
import type { ProcessDefinition } from './api';

type StartTrigger = ProcessDefinition['triggers'][number];

/**
 * What starts the process: the domain events in its `triggers`, shown and added here (the JSON stays the one
 * source; adding a trigger edits it). Conditions (`when`) are written in the JSON.
 */
export function TriggersCard({
  definition,
  onChange,
}: {
  definition: ProcessDefinition | undefined;
  onChange?: (next: ProcessDefinition) => void;
}) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<string | undefined>();
  const [restart, setRestart] = useState(false);
  const types = useEventTypes();
  const triggers: StartTrigger[] = definition?.triggers ?? [];
  const describe = (type: string) => types.data?.find((x) => x.type === type)?.description ?? '';
  const add = () => {
    if (!definition || !picked || !onChange) return;
    onChange({ ...definition, triggers: [...triggers, { on: picked, restart }] });
    setPicked(undefined);
  };
  return (
    <Card size="small" title={t('processes.triggers.title')} data-testid="process-triggers">
      {triggers.length ? (
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          {triggers.map((tr) => (
            <Flex
              key={`${tr.on}:${JSON.stringify(tr.when ?? null)}:${tr.restart ?? false}`}
              gap={8}
              wrap
              align="center"
            >
              <Tag color="blue">{tr.on}</Tag>
              <Typography.Text type="secondary">{describe(tr.on)}</Typography.Text>
              {tr.when !== undefined && <Tag>{t('processes.triggers.conditional')}</Tag>}
              {tr.restart && <Tag color="orange">{t('processes.triggers.restart')}</Tag>}
            </Flex>
          ))}
        </Space>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('processes.triggers.none')} />
      )}
      {onChange && (
        <Flex gap={8} wrap align="center" style={{ marginTop: 12 }}>
          <Select
            showSearch
            style={{ minWidth: 260, flex: 1 }}
            placeholder={t('processes.triggers.pick')}
            value={picked}
            onChange={setPicked}
            options={(types.data ?? []).map((e) => ({
              value: e.type,
              label: `${e.type} — ${e.description}`,
            }))}
            data-testid="trigger-event"
          />
          <Space size={4}>
            <Switch size="small" checked={restart} onChange={setRestart} />
            <Typography.Text>{t('processes.triggers.restart')}</Typography.Text>
          </Space>
          <Button onClick={add} disabled={!picked || !definition} data-testid="trigger-add">
            {t('processes.triggers.add')}
          </Button>
        </Flex>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {t('processes.triggers.help')}
      </Typography.Paragraph>
    </Card>
  );
}
