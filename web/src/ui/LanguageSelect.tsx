import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLocale, isLocale, LOCALES } from '../i18n';
import { saveMyLocale, useSessionQuery, useSetSession } from '../modules/auth/session';

export function LanguageSelect({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  const { data: session } = useSessionQuery();
  const setSession = useSetSession();
  return (
    <Select
      size={size}
      aria-label={t('lang.label')}
      data-testid="language-select"
      value={i18n.language}
      style={{ minWidth: 120 }}
      prefix={<GlobalOutlined />}
      onChange={(v: string) => {
        if (!isLocale(v)) return;
        void changeLocale(v);
        // Signed in: the choice is saved on the user, so messages, notifications and emails follow it.
        if (session) void saveMyLocale(v).then(setSession, () => undefined);
      }}
      options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
