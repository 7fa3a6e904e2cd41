import { Button, Flex, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../api/types';
import { currentLocale, pickLabel } from '../../../i18n';
import { useCustomFields } from '../api';
import { IMPORTABLE_FIELDS } from './api';

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

  return (
    <>
      <Typography.Paragraph>
        {t('import.fileInfo', { name: upload.fileName, rows: upload.totalRows })}
      </Typography.Paragraph>
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
