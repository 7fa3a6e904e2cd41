import { ApartmentOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Collapse,
  Empty,
  Flex,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../../api/directory';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import {
  type AvailableTransition,
  getDefinition,
  getInstance,
  type InstanceRow,
  type InstanceView,
  listInstances,
  processKeys,
  startInstance,
  useDefinitions,
  useText,
  versionDefinition,
} from './api';
import { ClockTags } from './ClockTags';
import { TransitionModal, useTakeTransition } from './TransitionModal';

const STATUS_COLORS: Record<string, string> = {
  active: 'processing',
  completed: 'success',
  cancelled: 'default',
};
const APPROVAL_COLORS: Record<string, string> = {
  pending: 'gold',
  waiting: 'default',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
};

function useStatusText() {
  const { t } = useTranslation();
  return {
    instance: (s: string) =>
      (t('processes.instances.status', { returnObjects: true }) as Record<string, string>)[s] ?? s,
    approval: (s: string) =>
      (t('processes.approval.status', { returnObjects: true }) as Record<string, string>)[s] ?? s,
  };
}

/** The processes running on one record (any type): start one, take transitions, see clocks, approvals and history. */
export function RecordProcessesCard({ recordType, recordId }: { recordType: string; recordId: string }) {
  const { t } = useTranslation();
  const text = useText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [choice, setChoice] = useState<string | null>(null);
  const [showClosed, setShowClosed] = useState(false);
  const defs = useDefinitions();
  const list = useQuery({
    queryKey: processKeys.instances(recordType, recordId),
    queryFn: () => listInstances(recordType, recordId),
    select: (d) => d.items,
  });
  const startable = (defs.data ?? []).filter((d) => d.recordType === recordType && d.currentVersion !== null);
  const start = useMutation({
    mutationFn: (key: string) => startInstance(key, recordType, recordId),
    onSuccess: (view) => {
      qc.setQueryData(processKeys.instance(view.id), view);
      void qc.invalidateQueries({ queryKey: processKeys.instances(recordType, recordId) });
      void qc.invalidateQueries({ queryKey: ['customers', 'timeline', recordId] });
      void qc.invalidateQueries({ queryKey: ['records', recordType, recordId] });
      message.success(t('processes.instances.started'));
      setChoice(null);
    },
    onError: (e) => message.error(errorText(e, t)),
  });

  const items = [...(list.data ?? [])].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const open = items.filter((i) => i.status === 'active');
  const closed = items.filter((i) => i.status !== 'active');

  return (
    <Card
      data-testid="customer-processes"
      title={
        <Space>
          <ApartmentOutlined />
          {t('processes.instances.title')}
        </Space>
      }
    >
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Select
          style={{ flex: 1, minWidth: 0 }}
          placeholder={t('processes.instances.startPlaceholder')}
          value={choice}
          onChange={setChoice}
          loading={defs.isLoading}
          notFoundContent={t('processes.instances.noDefinitions')}
          data-testid="start-process-select"
          options={startable.map((d) => ({ value: d.key, label: text(d.draft?.name, d.key) }))}
          popupMatchSelectWidth={false}
        />
        <Button
          type="primary"
          icon={<PlayCircleOutlined />}
          disabled={!choice}
          loading={start.isPending}
          onClick={() => choice && start.mutate(choice)}
          data-testid="start-process"
        >
          {t('processes.instances.start')}
        </Button>
      </Space.Compact>
      {list.isError && <Alert type="error" showIcon title={errorText(list.error, t)} />}
      {list.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('processes.instances.empty')} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {open.map((i) => (
            <InstanceItem key={i.id} row={i} />
          ))}
          {closed.length > 0 && (
            <>
              <Button
                type="link"
                size="small"
                onClick={() => setShowClosed((v) => !v)}
                style={{ padding: 0 }}
              >
                {t('processes.instances.showClosed', { count: closed.length })}
              </Button>
              {(showClosed || open.length === 0) && closed.map((i) => <InstanceItem key={i.id} row={i} />)}
            </>
          )}
        </Space>
      )}
    </Card>
  );
}

function InstanceItem({ row }: { row: InstanceRow }) {
  const { t } = useTranslation();
  const text = useText();
  const status = useStatusText();
  const view = useQuery({ queryKey: [...processKeys.instance(row.id)], queryFn: () => getInstance(row.id) });
  const v = view.data;
  const def = useQuery({
    queryKey: processKeys.definition(v?.definitionKey ?? ''),
    queryFn: () => getDefinition(v!.definitionKey),
    enabled: Boolean(v?.definitionKey),
    staleTime: 60_000,
  });
  const versionDef = versionDefinition(def.data?.detail, v?.versionNumber);

  if (view.isError) return <Alert type="error" showIcon title={errorText(view.error, t)} />;
  if (!v) return <Spin size="small" />;
  const stateName = (k: string | null) => {
    if (!k) return '—';
    return text(v.states.find((s) => s.key === k)?.name, k);
  };
  const final = v.states.find((s) => s.key === v.state)?.final;

  return (
    <Card size="small" type="inner" data-testid="process-instance" data-process={v.definitionKey}>
      <Space orientation="vertical" size={10} style={{ width: '100%' }}>
        <Flex justify="space-between" align="start" gap={8}>
          <Space wrap size={6} style={{ minWidth: 0 }}>
            <Typography.Text strong>{text(versionDef?.name, v.definitionKey)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('processes.instances.version', { version: v.versionNumber })}
            </Typography.Text>
          </Space>
          <Space size={4} style={{ flexShrink: 0 }}>
            <Tag color={final ? 'green' : 'blue'} data-testid="process-state" data-state={v.state}>
              {stateName(v.state)}
            </Tag>
            <Tag color={STATUS_COLORS[v.status] ?? 'default'}>{status.instance(v.status)}</Tag>
          </Space>
        </Flex>
        <ClockTags clocks={v.clocks} slas={versionDef?.slas} />
        {v.pendingTransition && (
          <Alert
            type="warning"
            showIcon
            title={t('processes.instances.pendingApproval', {
              transition: text(
                versionDef?.transitions.find((x) => x.key === v.pendingTransition)?.name,
                v.pendingTransition,
              ),
            })}
          />
        )}
        {v.status === 'active' && <TransitionButtons view={v} />}
        <InstanceDetails view={v} />
      </Space>
    </Card>
  );
}

function TransitionButtons({ view }: { view: InstanceView }) {
  const { t } = useTranslation();
  const text = useText();
  const [open, setOpen] = useState<AvailableTransition | null>(null);
  const take = useTakeTransition(view);
  const def = useQuery({
    queryKey: processKeys.definition(view.definitionKey),
    queryFn: () => getDefinition(view.definitionKey),
    staleTime: 60_000,
  });
  const fields = versionDefinition(def.data?.detail, view.versionNumber)?.fields;
  if (!view.available.length) {
    if (view.pendingTransition) return null;
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('processes.instances.noTransitions')}
      </Typography.Text>
    );
  }
  return (
    <>
      <Flex gap={8} wrap align="center">
        {take.isError && (
          <Alert type="error" showIcon title={errorText(take.error, t)} style={{ width: '100%' }} />
        )}
        {view.available.map((tr) => {
          const needsForm = tr.requiredFields.length > 0 || tr.needsApproval;
          return (
            <Button
              key={tr.key}
              size="small"
              type={tr.to === view.state ? 'default' : 'primary'}
              ghost={tr.to !== view.state}
              data-testid={`transition-${tr.key}`}
              loading={take.isPending && take.variables?.transition.key === tr.key}
              disabled={take.isPending}
              onClick={() => (needsForm ? setOpen(tr) : take.mutate({ transition: tr }))}
            >
              {text(tr.name, tr.key)}
              {tr.needsApproval && (
                <Typography.Text type="warning" style={{ fontSize: 12 }}>
                  ({t('processes.instances.requestsApproval')})
                </Typography.Text>
              )}
            </Button>
          );
        })}
      </Flex>
      <TransitionModal instance={view} transition={open} fields={fields} onClose={() => setOpen(null)} />
    </>
  );
}

function InstanceDetails({ view }: { view: InstanceView }) {
  const { t } = useTranslation();
  const text = useText();
  const fmt = useFormatters();
  const status = useStatusText();
  const directory = useDirectory();
  const def = useQuery({
    queryKey: processKeys.definition(view.definitionKey),
    queryFn: () => getDefinition(view.definitionKey),
    staleTime: 60_000,
  });
  const versionDef = versionDefinition(def.data?.detail, view.versionNumber);
  const who = (id: string | null) =>
    id ? (directory.data?.find((u) => u.id === id)?.name ?? id.slice(0, 8)) : t('processes.instances.system');
  const stateName = (k: string | null) => (k ? text(view.states.find((s) => s.key === k)?.name, k) : '');
  const trName = (k: string | null) =>
    k ? text(versionDef?.transitions.find((x) => x.key === k)?.name, k) : t('processes.instances.started_');
  const history = [...view.history].sort((a, b) => b.at.localeCompare(a.at));

  const items = [
    {
      key: 'history',
      label: `${t('processes.instances.history')} (${view.history.length})`,
      children: (
        <Timeline
          data-testid="process-history"
          items={history.map((h, i) => ({
            key: `${h.at}-${i}`,
            color: h.transition ? 'blue' : 'green',
            content: (
              <Space orientation="vertical" size={0}>
                <Typography.Text>
                  <Typography.Text strong>{trName(h.transition)}</Typography.Text>
                  {h.from ? ` · ${stateName(h.from)} → ${stateName(h.to)}` : ` · ${stateName(h.to)}`}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {who(h.actorId)} · {fmt.dateTime(h.at)}
                </Typography.Text>
                {h.comment && <Typography.Text style={{ fontSize: 12 }}>{h.comment}</Typography.Text>}
              </Space>
            ),
          }))}
        />
      ),
    },
  ];
  if (view.approvals.length)
    items.push({
      key: 'approvals',
      label: `${t('processes.instances.approvals')} (${view.approvals.length})`,
      children: (
        <Space orientation="vertical" size={6} style={{ width: '100%' }} data-testid="process-approvals">
          {view.approvals.map((a) => (
            <Flex key={a.id} gap={8} wrap align="center">
              <Tag color={APPROVAL_COLORS[a.status] ?? 'default'}>{status.approval(a.status)}</Tag>
              <Typography.Text>{trName(a.transition)}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('processes.approval.step', { step: a.step })} · {a.approverRole} ·{' '}
                {fmt.dateTime(a.requestedAt)}
                {a.decidedAt ? ` → ${fmt.dateTime(a.decidedAt)}` : ''}
              </Typography.Text>
              {a.comment && <Typography.Text style={{ fontSize: 12 }}>“{a.comment}”</Typography.Text>}
            </Flex>
          ))}
        </Space>
      ),
    });
  return (
    <Collapse
      size="small"
      ghost
      items={items}
      defaultActiveKey={view.pendingTransition ? ['approvals'] : []}
    />
  );
}
