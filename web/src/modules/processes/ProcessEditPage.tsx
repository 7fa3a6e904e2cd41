import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  LoadingOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Flex,
  Input,
  Result,
  Row,
  Segmented,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useDirectory } from '../../api/directory';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { PageLoading } from '../../ui/PageLoading';
import {
  canonical,
  getDefinition,
  type ProcessDetail,
  type ProcessVersion,
  processKeys,
  publishDefinition,
  saveDraft,
  useText,
  type ValidationResult,
  validateDefinition,
  versionDefinition,
} from './api';
import { DefinitionLists } from './DefinitionLists';
import { asDefinition, parse, pretty } from './definition-json';
import { ProcessDiagram } from './ProcessDiagram';
import { TriggersCard } from './TriggersCard';

type Check = { state: 'idle' | 'checking' } | { state: 'done'; result: ValidationResult };
const TABS = ['diagram', 'editor', 'versions'] as const;
type Tab = (typeof TABS)[number];

export default function ProcessEditPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const text = useText();
  const fmt = useFormatters();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'diagram';
  const query = useQuery({ queryKey: processKeys.definition(key), queryFn: () => getDefinition(key) });
  const directory = useDirectory();
  const [draftText, setDraftText] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [serverFields, setServerFields] = useState<Record<string, string> | null>(null);
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [viewing, setViewing] = useState<ProcessVersion | null>(null);
  const [diagramOf, setDiagramOf] = useState<'draft' | 'current'>('draft');

  const detail = query.data?.detail;
  const etag = query.data?.etag ?? null;
  // The editor starts from the saved draft; a later refetch does not overwrite the user's typing.
  useEffect(() => {
    if (detail && draftText === null) setDraftText(pretty(detail.draft));
  }, [detail, draftText]);

  const textValue = draftText ?? '';
  const parsed = useMemo(() => parse(textValue), [textValue]);
  const dirty =
    draftText !== null &&
    detail !== undefined &&
    (parsed.ok ? canonical(parsed.value) !== canonical(detail.draft) : true);

  // Live validation, debounced.
  useEffect(() => {
    if (!parsed.ok || draftText === null) {
      setCheck({ state: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      validateDefinition(parsed.value, ctl.signal)
        .then((result) => setCheck({ state: 'done', result }))
        .catch((e) => {
          if ((e as Error).name !== 'AbortError') setCheck({ state: 'idle' });
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [parsed, draftText]);

  const apply = (d: ProcessDetail, nextEtag: string | null) => {
    qc.setQueryData(processKeys.definition(key), { detail: d, etag: nextEtag });
    void qc.invalidateQueries({ queryKey: processKeys.definitions });
  };

  const save = useMutation({
    mutationFn: () => {
      if (!parsed.ok) throw new Error(parsed.error);
      return saveDraft(key, etag, parsed.value);
    },
    onSuccess: (r) => {
      if (detail) apply({ ...detail, ...r.summary, versions: detail.versions }, r.etag);
      setDraftText(pretty(r.summary.draft));
      setServerFields(null);
      message.success(t('processes.editor.saved'));
    },
    onError: (e) => {
      if (isApiError(e, 412)) setStale(true);
      else if (isApiError(e, 422)) setServerFields(e.fields);
      else message.error(errorText(e, t));
    },
  });

  const publish = useMutation({
    mutationFn: () => publishDefinition(key, etag),
    onSuccess: async (r) => {
      message.success(t('processes.editor.published', { version: r.summary.currentVersion }));
      await query.refetch();
      void qc.invalidateQueries({ queryKey: processKeys.definitions });
    },
    onError: (e) => {
      if (isApiError(e, 412)) setStale(true);
      else if (isApiError(e, 422)) setServerFields(e.fields);
      else message.error(errorText(e, t));
    },
  });

  const reloadLatest = async () => {
    setStale(false);
    setServerFields(null);
    const r = await query.refetch();
    if (r.data) setDraftText(pretty(r.data.detail.draft));
  };

  if (query.isPending) return <PageLoading />;
  if (query.isError || !detail) {
    if (isApiError(query.error, 404))
      return (
        <Result
          status="404"
          title="404"
          subTitle={t('common.notFound')}
          extra={
            <Link to="/admin/processes">
              <Button>{t('processes.editor.back')}</Button>
            </Link>
          }
        />
      );
    return <Alert type="error" showIcon title={errorText(query.error, t)} />;
  }

  const current = detail.currentVersion;
  const currentDef = current !== null ? versionDefinition(detail, current) : undefined;
  const draftDiffers = current !== null && canonical(currentDef) !== canonical(detail.draft);
  const liveDef = asDefinition(parsed.ok ? parsed.value : undefined) ?? detail.draft;
  const shownDef = diagramOf === 'current' && currentDef ? currentDef : liveDef;
  const userName = (id: string | null) =>
    id ? (directory.data?.find((u) => u.id === id)?.name ?? id.slice(0, 8)) : t('processes.versions.system');

  const errors: Array<{ path: string; message: string }> = [];
  if (!parsed.ok)
    errors.push({ path: 'JSON', message: t('processes.editor.invalidJson', { message: parsed.error }) });
  else if (check.state === 'done' && !check.result.ok)
    for (const [path, msg] of Object.entries(check.result.fields ?? {})) errors.push({ path, message: msg });
  if (serverFields)
    for (const [path, msg] of Object.entries(serverFields))
      if (!errors.some((x) => x.path === path)) errors.push({ path, message: msg });
  const valid = parsed.ok && check.state === 'done' && check.result.ok;

  const onPublish = () => {
    const next = (current ?? 0) + 1;
    modal.confirm({
      title: t('processes.editor.publishTitle', { next }),
      content:
        current === null
          ? t('processes.editor.publishBodyFirst', { next })
          : t('processes.editor.publishBody', { current, next }),
      okText: t('processes.editor.publish'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'publish-confirm' } as Record<string, string>,
      onOk: () => publish.mutateAsync().catch(() => undefined),
    });
  };
  const publishBlocked = dirty
    ? t('processes.editor.saveFirst')
    : current !== null && !draftDiffers
      ? t('processes.editor.nothingToPublish')
      : null;

  const statusLine = (
    <Space data-testid="validation-status">
      {!parsed.ok ? (
        <Tag color="red">{t('processes.editor.errors', { count: errors.length })}</Tag>
      ) : check.state === 'checking' ? (
        <Typography.Text type="secondary">
          <LoadingOutlined /> {t('processes.editor.validating')}
        </Typography.Text>
      ) : valid && !serverFields ? (
        <Typography.Text type="success">
          <CheckCircleOutlined /> {t('processes.editor.valid')}
        </Typography.Text>
      ) : errors.length ? (
        <Tag color="red">{t('processes.editor.errors', { count: errors.length })}</Tag>
      ) : null}
      {dirty && <Tag color="gold">{t('processes.editor.unsaved')}</Tag>}
    </Space>
  );

  const diagramTab = (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={15}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {currentDef && (draftDiffers || dirty) && (
            <Segmented
              value={diagramOf}
              onChange={(v) => setDiagramOf(v as 'draft' | 'current')}
              options={[
                {
                  value: 'draft',
                  label: dirty ? t('processes.editor.preview') : t('processes.editor.draft'),
                },
                { value: 'current', label: t('processes.editor.version', { version: current }) },
              ]}
            />
          )}
          <ProcessDiagram definition={shownDef} />
        </Space>
      </Col>
      <Col xs={24} xl={9}>
        <DefinitionLists definition={shownDef} />
      </Col>
    </Row>
  );

  const editorTab = (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('processes.editor.jsonHelp')}
            </Typography.Text>
            <Space>
              <Button
                size="small"
                disabled={!parsed.ok}
                onClick={() => parsed.ok && setDraftText(pretty(parsed.value))}
              >
                {t('processes.editor.format')}
              </Button>
              <Button size="small" disabled={!dirty} onClick={() => setDraftText(pretty(detail.draft))}>
                {t('processes.editor.revert')}
              </Button>
            </Space>
          </Flex>
          <Input.TextArea
            value={textValue}
            onChange={(e) => {
              setDraftText(e.target.value);
              setServerFields(null);
            }}
            spellCheck={false}
            aria-label={t('processes.editor.json')}
            data-testid="process-json"
            autoSize={{ minRows: 24, maxRows: 40 }}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12.5 }}
          />
        </Space>
      </Col>
      <Col xs={24} xl={10}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {statusLine}
          {errors.length > 0 && (
            <Table
              size="small"
              rowKey="path"
              data-testid="validation-errors"
              pagination={false}
              dataSource={errors}
              columns={[
                {
                  title: t('processes.editor.path'),
                  dataIndex: 'path',
                  width: '40%',
                  render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
                },
                {
                  title: t('processes.editor.message'),
                  dataIndex: 'message',
                  render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text>,
                },
              ]}
            />
          )}
          <TriggersCard
            definition={liveDef}
            onChange={parsed.ok ? (next) => setDraftText(pretty(next)) : undefined}
          />
          <Card size="small" title={t('processes.editor.preview')}>
            <ProcessDiagram definition={liveDef} />
          </Card>
        </Space>
      </Col>
    </Row>
  );

  const versionsTab = (
    <Table<ProcessVersion>
      rowKey="number"
      data-testid="version-table"
      pagination={false}
      dataSource={[...detail.versions].sort((a, b) => b.number - a.number)}
      locale={{ emptyText: t('processes.versions.empty') }}
      columns={[
        {
          title: t('processes.versions.number'),
          dataIndex: 'number',
          render: (n: number) => (
            <Space>
              <Typography.Text strong>v{n}</Typography.Text>
              {n === current && <Tag color="green">{t('processes.versions.current')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('processes.versions.publishedAt'),
          dataIndex: 'publishedAt',
          render: (v: string) => fmt.dateTime(v),
        },
        {
          title: t('processes.versions.publishedBy'),
          dataIndex: 'publishedBy',
          render: (v: string | null) => userName(v),
        },
        {
          title: t('common.actions'),
          render: (_, v) => (
            <Button size="small" onClick={() => setViewing(v)} data-testid={`view-version-${v.number}`}>
              {t('processes.versions.view')}
            </Button>
          ),
        },
      ]}
    />
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Space size={12} align="center" wrap>
            <Link to="/admin/processes">
              <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('processes.editor.back')} />
            </Link>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="process-title">
              {text(detail.draft?.name, detail.key)}
            </Typography.Title>
            <Typography.Text code>{detail.key}</Typography.Text>
            {detail.builtin && <Tag color="blue">{t('processes.list.builtin')}</Tag>}
            <Tag color={current === null ? 'default' : 'green'}>
              {current === null
                ? t('processes.editor.noVersion')
                : t('processes.editor.version', { version: current })}
            </Tag>
            {draftDiffers && <Tag color="orange">{t('processes.list.draftDiffers')}</Tag>}
          </Space>
          <Space wrap>
            {statusLine}
            <Button
              icon={<SaveOutlined />}
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!dirty || !parsed.ok}
              data-testid="save-draft"
            >
              {t('processes.editor.save')}
            </Button>
            <Tooltip title={publishBlocked}>
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                onClick={onPublish}
                loading={publish.isPending}
                disabled={Boolean(publishBlocked)}
                data-testid="publish"
              >
                {t('processes.editor.publish')}
              </Button>
            </Tooltip>
          </Space>
        </Flex>
        {stale && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="stale-alert"
            title={t('processes.editor.stale')}
            action={
              <Button size="small" onClick={() => void reloadLatest()}>
                {t('processes.editor.reloadLatest')}
              </Button>
            }
          />
        )}
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={[
            { key: 'diagram', label: t('processes.editor.tabs.diagram'), children: diagramTab },
            { key: 'editor', label: t('processes.editor.tabs.editor'), children: editorTab },
            { key: 'versions', label: t('processes.editor.tabs.versions'), children: versionsTab },
          ]}
        />
      </Card>
      <Drawer
        open={viewing !== null}
        onClose={() => setViewing(null)}
        size="large"
        title={viewing ? t('processes.versions.title', { number: viewing.number }) : ''}
        destroyOnHidden
      >
        {viewing && (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {fmt.dateTime(viewing.publishedAt)} · {userName(viewing.publishedBy)}
            </Typography.Text>
            <ProcessDiagram definition={viewing.definition} />
            <DefinitionLists definition={viewing.definition} />
            <Input.TextArea
              readOnly
              value={pretty(viewing.definition)}
              autoSize={{ minRows: 10, maxRows: 30 }}
              data-testid="version-json"
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
            />
          </Space>
        )}
      </Drawer>
    </Space>
  );
}
