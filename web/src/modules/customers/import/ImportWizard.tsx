import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Progress,
  Result,
  Row,
  Space,
  Statistic,
  Steps,
  Typography,
  Upload,
} from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportUpload } from '../../../api/types';
import { errorText } from '../../../ui/errors';
import { errorReportUrl, getImport, startImport, uploadImport } from './api';
import { titleRowsParts } from './i18n';
import { MappingStep } from './MappingStep';

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** "Skipped title rows 1–2: 'XX门店会员登记表'" under the result, when the file had title rows. */
function titleNote(lines: ImportUpload['skippedLines'], t: TFunction) {
  const parts = titleRowsParts(lines);
  if (!parts) return null;
  return (
    <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
      {t('importOutcome.titleRows', parts)}
    </Typography.Paragraph>
  );
}

export default function ImportWizard() {
  const { t } = useTranslation();
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [started, setStarted] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);

  const uploadMut = useMutation({
    mutationFn: uploadImport,
    onSuccess: (u) => {
      setUpload(u);
      setMapping({ ...u.suggestedMapping });
    },
  });
  const startMut = useMutation({
    mutationFn: () => startImport(upload!.id, mapping),
    onSuccess: () => setStarted(true),
  });
  const status = useQuery({
    queryKey: ['imports', upload?.id],
    queryFn: () => getImport(upload!.id),
    enabled: started && Boolean(upload),
    refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 1000),
  });

  const s = status.data;
  const finished = s && (s.status === 'done' || s.status === 'failed');
  const step = !upload ? 0 : !started ? 1 : finished ? 3 : 2;
  const reset = () => {
    setUpload(null);
    setMapping({});
    setStarted(false);
    uploadMut.reset();
    startMut.reset();
  };
  const error =
    localError ??
    (uploadMut.error || startMut.error || status.error
      ? errorText(uploadMut.error ?? startMut.error ?? status.error, t)
      : null);

  return (
    <Card title={t('import.title')}>
      <Steps
        current={step === 3 ? 4 : step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('import.stepUpload') },
          { title: t('import.stepMapping') },
          { title: t('import.stepProgress') },
          { title: t('import.stepResult') },
        ]}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {step === 0 && (
        <Upload.Dragger
          accept={ACCEPT}
          multiple={false}
          showUploadList={false}
          disabled={uploadMut.isPending}
          beforeUpload={(file) => {
            setLocalError(null);
            if (!/\.(csv|xlsx)$/i.test(file.name)) {
              setLocalError(t('import.unsupported'));
              return Upload.LIST_IGNORE;
            }
            uploadMut.mutate(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {uploadMut.isPending ? t('import.uploading') : t('import.uploadHint')}
          </p>
          <p className="ant-upload-hint">{t('import.uploadSub')}</p>
        </Upload.Dragger>
      )}
      {step === 1 && upload && (
        <MappingStep
          upload={upload}
          mapping={mapping}
          onChange={setMapping}
          starting={startMut.isPending}
          onStart={() => startMut.mutate()}
        />
      )}
      {step === 2 && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Progress
            percent={s?.totalRows ? Math.floor((s.processedRows / s.totalRows) * 100) : 0}
            status="active"
          />
          <span>
            {t('import.progress', {
              done: s?.processedRows ?? 0,
              total: s?.totalRows ?? upload?.totalRows ?? 0,
            })}
          </span>
        </Space>
      )}
      {step === 3 && s && upload && (
        <Result
          status={
            s.status === 'done'
              ? s.errorRows + s.duplicateRows + s.warningRows
                ? 'warning'
                : 'success'
              : 'error'
          }
          title={s.status === 'done' ? upload.fileName : t('import.failed')}
          subTitle={s.message ?? undefined}
          extra={
            <Space wrap>
              {s.errorRows + s.duplicateRows + s.warningRows > 0 && (
                <a href={errorReportUrl(upload.id)} download>
                  <Button danger={s.errorRows > 0}>{t('importOutcome.report')}</Button>
                </a>
              )}
              <Link to="/customers">
                <Button type="primary">{t('import.toList')}</Button>
              </Link>
              <Button onClick={reset}>{t('import.again')}</Button>
            </Space>
          }
        >
          <Row gutter={24} justify="center">
            <Col>
              <Statistic title={t('import.created')} value={s.createdRows} />
            </Col>
            <Col>
              <Statistic title={t('import.updated')} value={s.updatedRows - s.unchangedRows} />
            </Col>
            <Col>
              <Statistic title={t('importOutcome.unchanged')} value={s.unchangedRows} />
            </Col>
            <Col>
              <Statistic title={t('importOutcome.skipped')} value={s.skippedRows} />
            </Col>
            <Col>
              <Statistic
                title={t('importOutcome.duplicates')}
                value={s.duplicateRows}
                styles={{ content: s.duplicateRows ? { color: '#d46b08' } : undefined }}
              />
            </Col>
            <Col>
              <Statistic
                title={t('importOutcome.warnings')}
                value={s.warningRows}
                styles={{ content: s.warningRows ? { color: '#d46b08' } : undefined }}
              />
            </Col>
            <Col>
              <Statistic
                title={t('import.errors')}
                value={s.errorRows}
                styles={{ content: s.errorRows ? { color: '#cf1322' } : undefined }}
              />
            </Col>
          </Row>
          {s.errorRows + s.duplicateRows + s.warningRows > 0 && (
            <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16 }}>
              {t('importOutcome.reportHint')}
            </Typography.Paragraph>
          )}
          {titleNote(upload.skippedLines, t)}
        </Result>
      )}
    </Card>
  );
}
