import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { isApiError, setUnauthorizedHandler } from '../api/client';
import { currentLocale } from '../i18n';
import { ANTD_LOCALES } from '../i18n/antdLocale';
import { SESSION_KEY } from '../modules/auth/session';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Never retry what the server refused on purpose (401/403/404/…).
      retry: (count, e) => count < 2 && !(isApiError(e) && e.status >= 400 && e.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

function goToLogin() {
  queryClient.setQueryData(SESSION_KEY, null);
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  const next = encodeURIComponent(pathname + search);
  void router.navigate(`/login?next=${next}`, { replace: true });
}

export function Root() {
  const { i18n } = useTranslation();
  useEffect(() => {
    setUnauthorizedHandler(goToLogin);
    return () => setUnauthorizedHandler(null);
  }, []);
  // Language changes re-render from here: antd's own texts follow the chosen locale.
  const locale = currentLocale();
  return (
    <ConfigProvider
      locale={ANTD_LOCALES[locale]}
      key={i18n.language}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
    >
      <AntdApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
