import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useRoles, useTeams } from '../../api/directory';
import type { User } from '../../api/types';
import { isLocale, LOCALES, type Locale } from '../../i18n';
import { errorText } from '../../ui/errors';
import { createUser, type UserCreateInput, updateUser } from './api';
import { useSave } from './useSave';

interface Values {
  email: string;
  name: string;
  password?: string;
  roleId: string;
  teamIds: string[];
  skills: string[];
  locale: Locale;
}
const FIELDS = ['email', 'name', 'password', 'roleId', 'teamIds', 'skills', 'locale'];

export function UserFormModal({ open, user, onClose }: { open: boolean; user?: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const roles = useRoles(open);
  const teams = useTeams(open);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      user
        ? {
            email: user.email,
            name: user.name,
            roleId: user.roleId,
            teamIds: user.teamIds,
            skills: user.skills,
            locale: isLocale(user.locale) ? user.locale : undefined,
          }
        : { teamIds: [], skills: [], locale: 'zh-CN' },
    );
  }, [open, user, form]);

  const save = useSave<Values>({
    form,
    listKey: 'users',
    fields: FIELDS,
    onDone: onClose,
    save: (v) => {
      const body = {
        name: v.name.trim(),
        roleId: v.roleId,
        teamIds: v.teamIds ?? [],
        skills: v.skills ?? [],
        locale: v.locale,
        ...(v.password ? { password: v.password } : {}),
      };
      if (user) return updateUser(user.id, body);
      // Without a password the server answers 422 naming the field, shown on the form.
      return createUser({ ...body, email: v.email.trim() } as UserCreateInput);
    },
  });
  const general = save.error && !(save.error instanceof ApiError && Object.keys(save.error.fields).length);

  return (
    <Modal
      open={open}
      title={user ? t('admin.users.edit') : t('admin.users.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {general && (
        <Alert type="error" showIcon title={errorText(save.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} name="user" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="email" label={t('admin.users.email')} rules={[{ required: true, type: 'email' }]}>
          <Input disabled={Boolean(user)} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('admin.users.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? t('admin.users.newPassword') : t('admin.users.password')}
          extra={t('admin.users.passwordHint')}
          rules={user ? [] : [{ required: true }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="roleId" label={t('admin.users.role')} rules={[{ required: true }]}>
          <Select
            loading={roles.isLoading}
            options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          />
        </Form.Item>
        <Form.Item name="teamIds" label={t('admin.users.teams')}>
          <Select
            mode="multiple"
            loading={teams.isLoading}
            options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
        <Form.Item name="skills" label={t('admin.users.skills')}>
          <Select
            mode="tags"
            open={false}
            suffixIcon={null}
            placeholder={t('admin.users.skillsPlaceholder')}
            tokenSeparators={[',', '，']}
          />
        </Form.Item>
        <Form.Item name="locale" label={t('admin.users.locale')}>
          <Select options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
