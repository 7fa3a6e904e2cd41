import { Alert, Button, Flex, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../api/types';
import { currentLocale, pickLabel } from '../../../i18n';
import { useCustomFields } from '../api';
import { IMPORTABLE_FIELDS } from './api';
import { titleRowsParts } from './i18n';

const IGNORE = '__ignore__';

interface Props {
  upload: ImportUpload;
  mapping: Record<string, string | null>;
  onChange: (m: Record<string, string | null>) => void;
  onStart: () => void;
  starting: boolean;
}

export function MappingStep({ upload, mapping, onChange, onStart, starting }: Props) {
  const { t } = useTranslation();
  const fields = useCustomFields();
  const locale = currentLocale();
  const options = [
    { value: IGNORE, label: t('import.ignore') },
    ...IMPORTABLE_FIELDS.map((f) => ({ value: f, label: t(`customer.fields.${f}`) })),
    ...(fields.data ?? []).map((d) => ({
      value: `custom.${d.key}`,
      label: `${t('import.customPrefix')}${pickLabel(d.label, locale, d.key)}`,
    })),
  ];
  const rows = upload.columns.map((column, index) => ({
    column,
    index,
    sample: upload.sampleRows
      .slice(0, 3)
      .map((r) => r[index] ?? '')
      .filter((s) => s !== '')
      .join(' / '),
  }));
  const anyMapped = Object.values(mapping).some(Boolean);
  const titles = titleRowsParts(upload.skippedLines);
  const otherSkipped = upload.skippedRows - upload.skippedLines.filter((l) => l.reason === 'title').length;

  return (
    <>
      <Typography.Paragraph>
        {t('import.fileInfo', { name: upload.fileName, rows: upload.totalRows })}
        {upload.headerRow > 1 && ` · ${t('importOutcome.headerRow', { row: upload.headerRow })}`}
      </Typography.Paragraph>
      {(titles || otherSkipped > 0) && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="import-skipped"
          title={[
            titles && t('importOutcome.titleRows', titles),
            otherSkipped > 0 && t('importOutcome.totalsRows', { count: otherSkipped }),
          ]
            .filter(Boolean)
            .join('；')}
        />
      )}
      <Table
        rowKey="index"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('import.column'), dataIndex: 'column', width: 200 },
          { title: t('import.sample'), dataIndex: 'sample', ellipsis: true },
          {
            title: t('import.field'),
            width: 260,
            render: (_, r) => (
              <Select
                style={{ width: '100%' }}
                showSearch={{ optionFilterProp: 'label' }}
                value={mapping[r.column] ?? IGNORE}
                options={options}
                onChange={(v: string) => onChange({ ...mapping, [r.column]: v === IGNORE ? null : v })}
              />
            ),
          },
        ]}
      />
      <Flex justify="end" style={{ marginTop: 16 }}>
        <Button type="primary" disabled={!anyMapped} loading={starting} onClick={onStart}>
          {t('import.start')}
        </Button>
      </Flex>
    </>
  );
}
