import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, List, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { useHolidayStatus, useImportHolidays } from './holidays-api';

/** 法定节假日与调休: built-in and imported years, and the import of a year's table (CSV or ICS). */
export function HolidaysCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fmt = useFormatters();
  const status = useHolidayStatus();
  const importer = useImportHolidays();
  const [problems, setProblems] = useState<string[]>([]);

  async function onFile(file: File) {
    setProblems([]);
    try {
      const r = await importer.mutateAsync({ content: await file.text(), filename: file.name });
      message.success(
        t('selfService.holidays.done', { year: r.year, holidays: r.holidays, adjusted: r.adjustedWorkdays }),
      );
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length) setProblems(Object.values(e.fields));
      else message.error(errorText(e, t));
    }
    return false;
  }

  const s = status.data;
  return (
    <Card title={t('selfService.holidays.title')} loading={status.isLoading} data-testid="holidays-card">
      <Flex vertical gap={12}>
        {s?.missingYear ? (
          <Alert type="warning" showIcon title={t('selfService.holidays.missing', { year: s.missingYear })} />
        ) : null}
        <Typography.Text>
          {t('selfService.holidays.builtin', { year: s?.builtinLastYear ?? '' })}
        </Typography.Text>
        <div>
          <Typography.Text strong>{t('selfService.holidays.imported')}</Typography.Text>
          <List
            size="small"
            dataSource={s?.imports ?? []}
            locale={{ emptyText: t('selfService.holidays.none') }}
            renderItem={(y) => (
              <List.Item>
                {t('selfService.holidays.row', {
                  year: y.year,
                  days: y.days,
                  source: y.source.toUpperCase(),
                  at: fmt.dateTime(y.importedAt),
                })}
              </List.Item>
            )}
          />
        </div>
        <Typography.Text type="secondary">{t('selfService.holidays.help')}</Typography.Text>
        <Upload accept=".csv,.ics,text/csv,text/calendar" showUploadList={false} beforeUpload={onFile}>
          <Button icon={<UploadOutlined />} loading={importer.isPending} data-testid="import-holidays">
            {t('selfService.holidays.import')}
          </Button>
        </Upload>
        {problems.length ? (
          <Alert
            type="error"
            showIcon
            title={t('selfService.holidays.failed')}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            }
          />
        ) : null}
      </Flex>
    </Card>
  );
}

/** A warning for calendar managers when this year's or (from November 1) next year's table is missing. */
export function HolidayBanner({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const status = useHolidayStatus(canManage);
  const year = status.data?.missingYear;
  if (!canManage || !year) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="holiday-banner"
      style={{ marginBottom: 16 }}
      title={t('selfService.holidays.missing', { year })}
      action={
        <Button size="small" href="/admin/calendar">
          {t('selfService.holidays.missingAction')}
        </Button>
      }
    />
  );
}
