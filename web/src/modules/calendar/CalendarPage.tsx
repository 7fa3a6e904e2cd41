import { Flex, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { HolidaysCard } from './HolidaysCard';
import { MonthCard } from './MonthCard';
import { OverridesCard } from './OverridesCard';
import { SettingsCard } from './SettingsCard';

/** 工作日历: working hours and quiet hours, a month of day types, and date overrides. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('month');
  const month = fromUrl && /^\d{4}-\d{2}$/.test(fromUrl) ? dayjs(`${fromUrl}-01`) : dayjs().startOf('month');

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('calendar.title')}
      </Typography.Title>
      <MonthCard
        month={month}
        onMonth={(m) =>
          setParams(
            (p) => {
              p.set('month', m.format('YYYY-MM'));
              return p;
            },
            { replace: true },
          )
        }
      />
      <HolidaysCard />
      <OverridesCard />
      <SettingsCard />
    </Flex>
  );
}
