import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../ui/errors';
import { LanguageSelect } from '../../ui/LanguageSelect';
import { login, SESSION_KEY, useSessionQuery } from './session';

/** Only same-site paths are followed after login (no open redirect). */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const session = useSessionQuery();
  const next = safeNext(params.get('next'));

  const mutation = useMutation({
    mutationFn: (v: { email: string; password: string }) => login(v.email.trim(), v.password),
    onSuccess: (s) => {
      qc.setQueryData(SESSION_KEY, s);
      navigate(next, { replace: true });
    },
  });

  if (session.data) return <Navigate to={next} replace />;

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', background: 'linear-gradient(135deg, #e6f4ff 0%, #f5f5f5 60%)' }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSelect />
      </div>
      <Card style={{ width: 380, boxShadow: '0 6px 24px rgba(0,0,0,0.08)' }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={44} height={44} />
          <Typography.Title level={2} style={{ margin: '8px 0 0' }}>
            Kept
          </Typography.Title>
          <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
            {t('app.tagline')}
          </Typography.Text>
        </Flex>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {mutation.isError && (
          <Alert
            type="error"
            showIcon
            title={errorText(mutation.error, t)}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form layout="vertical" requiredMark={false} onFinish={(v) => mutation.mutate(v)} autoComplete="on">
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[{ required: true, message: t('login.emailRequired') }]}
          >
            <Input prefix={<MailOutlined />} type="email" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={mutation.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
