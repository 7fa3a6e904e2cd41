import { ClockCircleOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Duration, ProcessDefinition, Trigger } from './api';
import { useText } from './api';

/** Actions have no key of their own: their position in the list identifies them. */
const keyed = <T,>(list: T[] | undefined): Array<{ id: string; item: T }> =>
  (Array.isArray(list) ? list : []).map((item, i) => ({ id: String(i), item }));

const DURATION_UNITS = ['workingHours', 'workingDays', 'minutes', 'hours', 'days'] as const;

export function useDurationText() {
  const { t } = useTranslation();
  return (d: Duration | undefined): string => {
    if (!d) return '—';
    for (const u of DURATION_UNITS) {
      const n = d[u];
      if (typeof n === 'number') return t(`processes.duration.${u}`, { n });
    }
    return '—';
  };
}

/** A trigger in words, with state keys shown by their names. */
export function useTriggerText(definition: ProcessDefinition | undefined) {
  const { t } = useTranslation();
  const text = useText();
  const stateName = (k: string) => {
    const s = Array.isArray(definition?.states) ? definition.states.find((x) => x?.key === k) : undefined;
    return s ? text(s.name, k) : k;
  };
  return (tr: Trigger | undefined): string => {
    if (!tr) return '—';
    const parts: string[] = [];
    if (Array.isArray(tr.enter) && tr.enter.length)
      parts.push(t('processes.sla.enter', { states: tr.enter.map(stateName).join(' / ') }));
    if (Array.isArray(tr.exit) && tr.exit.length)
      parts.push(t('processes.sla.exit', { states: tr.exit.map(stateName).join(' / ') }));
    if (tr.event) parts.push(t('processes.sla.event', { event: tr.event }));
    return parts.join('; ') || '—';
  };
}

/** The SLA clocks and automations of a definition, as two lists beside the diagram. */
export function DefinitionLists({ definition }: { definition: ProcessDefinition | undefined }) {
  const { t } = useTranslation();
  const text = useText();
  const duration = useDurationText();
  const trigger = useTriggerText(definition);
  const slas = Array.isArray(definition?.slas) ? definition.slas : [];
  const automations = Array.isArray(definition?.automations) ? definition.automations : [];
  const actionLabel = (type: string) => {
    const map = t('processes.automations.actions', { returnObjects: true }) as Record<string, string>;
    return map[type] ?? type;
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space>
            <ClockCircleOutlined />
            {t('processes.sla.title')}
          </Space>
        }
        data-testid="process-slas"
      >
        {slas.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('processes.sla.none')} />
        ) : (
          <List
            size="small"
            dataSource={slas}
            rowKey={(s) => s?.key ?? ''}
            renderItem={(s) => (
              <List.Item>
                <Space orientation="vertical" size={2}>
                  <Space wrap>
                    <Typography.Text strong>{text(s.name, s.key)}</Typography.Text>
                    <Tag color="blue">{duration(s.target)}</Tag>
                    {s.warnAtPercent ? (
                      <Tag color="gold">{t('processes.sla.warnAt', { percent: s.warnAtPercent })}</Tag>
                    ) : null}
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('processes.sla.start')}: {trigger(s.start)} · {t('processes.sla.stop')}:{' '}
                    {trigger(s.stop)}
                    {s.pause ? ` · ${t('processes.sla.pause')}: ${trigger(s.pause)}` : ''}
                  </Typography.Text>
                  {Array.isArray(s.onBreach) && s.onBreach.length > 0 && (
                    <Space size={[4, 4]} wrap>
                      {keyed(s.onBreach).map(({ id, item: a }) => (
                        <Tag key={id} color="red">
                          {actionLabel(a?.type)}
                        </Tag>
                      ))}
                    </Space>
                  )}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card
        size="small"
        title={
          <Space>
            <ThunderboltOutlined />
            {t('processes.automations.title')}
          </Space>
        }
        data-testid="process-automations"
      >
        {automations.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('processes.automations.none')} />
        ) : (
          <List
            size="small"
            dataSource={automations}
            rowKey={(a) => a?.key ?? ''}
            renderItem={(a) => (
              <List.Item>
                <Space orientation="vertical" size={2}>
                  <Space wrap>
                    <Typography.Text strong code>
                      {a.key}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {t('processes.automations.on')}: {trigger(a.on)}
                      {a.delay
                        ? ` · ${t('processes.automations.delay', { duration: duration(a.delay) })}`
                        : ''}
                    </Typography.Text>
                    {a.when ? <Tag>{t('processes.automations.when')}</Tag> : null}
                  </Space>
                  <Space size={[4, 4]} wrap>
                    {keyed(a.actions).map(({ id, item: x }) => (
                      <Tag key={id} color="purple">
                        {actionLabel(x?.type)}
                        {x && 'title' in x && x.title ? `: ${text(x.title)}` : ''}
                        {x && 'transition' in x && x.transition ? ` → ${x.transition}` : ''}
                      </Tag>
                    ))}
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}
