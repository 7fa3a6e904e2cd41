import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLocale, isLocale, LOCALES } from '../i18n';

export function LanguageSelect({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  return (
    <Select
      size={size}
      aria-label={t('lang.label')}
      data-testid="language-select"
      value={i18n.language}
      style={{ minWidth: 120 }}
      prefix={<GlobalOutlined />}
      onChange={(v: string) => {
        if (isLocale(v)) void changeLocale(v);
      }}
      options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
