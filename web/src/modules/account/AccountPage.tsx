import { App, Button, Card, Col, Descriptions, Form, Input, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, unwrap } from '../../api/client';
import { changeLocale, isLocale, LOCALES } from '../../i18n';
import { applyFieldErrors, errorText } from '../../ui/errors';
import { saveMyLocale, saveMyName, useSession, useSetSession } from '../auth/session';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** 我的账户: the signed-in user's own name and language, and their password. */
export default function AccountPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useSession();
  const setSession = useSetSession();
  const [profile] = Form.useForm<{ name: string }>();
  const [pw] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState<'name' | 'password' | null>(null);

  async function saveName(v: { name: string }) {
    setBusy('name');
    try {
      setSession(await saveMyName(v.name));
      message.success(t('selfService.profile.saved'));
    } catch (e) {
      applyFieldErrors(profile, e, new Set(['name']));
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  }

  async function saveLanguage(v: string) {
    if (!isLocale(v)) return;
    await changeLocale(v);
    try {
      setSession(await saveMyLocale(v));
      message.success(t('selfService.profile.saved'));
    } catch (e) {
      message.error(errorText(e, t));
    }
  }

  async function changePassword(v: PasswordForm) {
    setBusy('password');
    try {
      const r = await unwrap(
        client.POST('/api/v1/auth/password', {
          body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
        }),
      );
      pw.resetFields();
      message.success(t('selfService.password.done', { count: r.otherSessionsRevoked }));
    } catch (e) {
      applyFieldErrors(pw, e, new Set(['currentPassword', 'newPassword']));
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div data-testid="account-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('selfService.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('selfService.profile.title')}>
            <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('selfService.profile.email')}>
                {session.user.email}
              </Descriptions.Item>
              <Descriptions.Item label={t('selfService.profile.role')}>
                {session.user.roleName}
              </Descriptions.Item>
            </Descriptions>
            <Form
              form={profile}
              layout="vertical"
              initialValues={{ name: session.user.name }}
              onFinish={saveName}
              requiredMark={false}
            >
              <Form.Item
                label={t('selfService.profile.language')}
                extra={t('selfService.profile.languageHelp')}
              >
                <Select
                  data-testid="account-language"
                  value={isLocale(session.user.locale) ? session.user.locale : undefined}
                  onChange={saveLanguage}
                  options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
                  style={{ maxWidth: 240 }}
                />
              </Form.Item>
              <Form.Item
                name="name"
                label={t('selfService.profile.name')}
                rules={[{ required: true, max: 100 }]}
              >
                <Input style={{ maxWidth: 320 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'name'}>
                {t('selfService.profile.save')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('selfService.password.title')}>
            <Form form={pw} layout="vertical" onFinish={changePassword} requiredMark={false}>
              <Form.Item
                name="currentPassword"
                label={t('selfService.password.current')}
                rules={[{ required: true }]}
              >
                <Input.Password autoComplete="current-password" style={{ maxWidth: 320 }} />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t('selfService.password.next')}
                extra={t('selfService.password.policy')}
                rules={[{ required: true, min: 8 }]}
              >
                <Input.Password autoComplete="new-password" style={{ maxWidth: 320 }} />
              </Form.Item>
              <Form.Item
                name="repeat"
                label={t('selfService.password.repeat')}
                dependencies={['newPassword']}
                rules={[
                  { required: true },
                  ({ getFieldValue }) => ({
                    validator: (_, value) =>
                      !value || value === getFieldValue('newPassword')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('selfService.password.mismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" style={{ maxWidth: 320 }} />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy === 'password'}
                data-testid="change-password"
              >
                {t('selfService.password.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
