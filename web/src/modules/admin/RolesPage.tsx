import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { usePermissions, useRoles } from '../../api/directory';
import type { Role } from '../../api/types';
import { codeLabel } from '../../i18n';
import { errorText } from '../../ui/errors';
import { createRole, deleteRole, updateRole } from './api';
import { useSave } from './useSave';

interface Values {
  key: string;
  name: string;
  description?: string;
  permissions: string[];
}

export default function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const roles = useRoles();
  const perms = usePermissions();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const open = editing !== null;
  const role = editing === 'new' ? undefined : (editing ?? undefined);
  const permLabel = (key: string) => codeLabel('permissions', key) ?? key;

  const groupLabel = (g: string) =>
    i18n.exists(`permissionGroups.${g}`) ? t(`permissionGroups.${g}` as 'permissionGroups.customer') : g;

  const groups = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of perms.data ?? []) m.set(p.group, [...(m.get(p.group) ?? []), p.key]);
    return [...m.entries()];
  }, [perms.data]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      role
        ? {
            key: role.key,
            name: role.name,
            description: role.description ?? '',
            permissions: role.permissions,
          }
        : { permissions: [] },
    );
  }, [open, role, form]);

  const save = useSave<Values>({
    form,
    listKey: 'roles',
    fields: ['key', 'name', 'description', 'permissions'],
    onDone: () => setEditing(null),
    save: (v) => {
      const body = {
        name: v.name.trim(),
        // The API takes a string (no null): an empty one clears the description.
        description: v.description?.trim() ?? '',
        permissions: v.permissions ?? [],
      };
      return role ? updateRole(role.id, body) : createRole({ ...body, key: v.key.trim() });
    },
  });
  const remove = useMutation({
    mutationFn: (r: Role) => deleteRole(r.id),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['roles'] });
    },
    onError: (e) => message.error(errorText(e, t)),
  });
  const general = save.error && !(save.error instanceof ApiError && Object.keys(save.error.fields).length);

  return (
    <Card
      title={t('admin.roles.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('admin.roles.new')}
        </Button>
      }
    >
      {roles.isError && (
        <Alert type="error" showIcon title={errorText(roles.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Role>
        rowKey="id"
        loading={roles.isLoading}
        dataSource={roles.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.roles.name'), dataIndex: 'name' },
          {
            title: t('admin.roles.key'),
            dataIndex: 'key',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('common.status'),
            dataIndex: 'builtin',
            render: (b: boolean) =>
              b ? <Tag color="blue">{t('admin.roles.builtin')}</Tag> : <Tag>{t('admin.roles.custom')}</Tag>,
          },
          {
            title: t('admin.roles.permissions'),
            dataIndex: 'permissions',
            render: (p: string[]) =>
              p.includes('*') ? permLabel('*') : t('admin.roles.count', { count: p.length }),
          },
          {
            title: t('admin.roles.description'),
            dataIndex: 'description',
            render: (v) => v ?? t('common.none'),
          },
          {
            title: t('common.actions'),
            render: (_, r) =>
              r.builtin ? null : (
                <Space>
                  <Button size="small" onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('common.confirmDelete')}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => remove.mutate(r)}
                  >
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        width={720}
        title={role ? t('admin.roles.edit') : t('admin.roles.new')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        {general && (
          <Alert type="error" showIcon title={errorText(save.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form form={form} name="role" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="key"
            label={t('admin.roles.key')}
            extra={t('admin.roles.keyHint')}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/ }]}
          >
            <Input disabled={Boolean(role)} />
          </Form.Item>
          <Form.Item name="name" label={t('admin.roles.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('admin.roles.description')}>
            <Input.TextArea autoSize={{ minRows: 1 }} />
          </Form.Item>
          <Form.Item name="permissions" label={t('admin.roles.permissions')}>
            <Checkbox.Group style={{ width: '100%' }}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                {groups.map(([group, keys]) => (
                  <div key={group}>
                    <Typography.Text strong>{groupLabel(group)}</Typography.Text>
                    <div
                      style={{
                        display: 'grid',
                        gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
                        gap: 4,
                        marginTop: 4,
                      }}
                    >
                      {keys.map((k) => (
                        <Checkbox key={k} value={k}>
                          {permLabel(k)}
                        </Checkbox>
                      ))}
                    </div>
                  </div>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
