import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams, useUsers } from '../../api/directory';
import type { User } from '../../api/types';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { updateUser } from './api';
import { UserFormModal } from './UserFormModal';

export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fmt = useFormatters();
  const qc = useQueryClient();
  const users = useUsers();
  const teams = useTeams();
  const [editing, setEditing] = useState<User | null | 'new'>(null);
  const teamName = (id: string) => teams.data?.find((x) => x.id === id)?.name ?? id;

  const toggle = useMutation({
    mutationFn: (u: User) => updateUser(u.id, { status: u.status === 'active' ? 'disabled' : 'active' }),
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => message.error(errorText(e, t)),
  });

  return (
    <Card
      title={t('admin.users.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('admin.users.new')}
        </Button>
      }
    >
      {users.isError && (
        <Alert type="error" showIcon title={errorText(users.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<User>
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('admin.users.name'), dataIndex: 'name' },
          { title: t('admin.users.email'), dataIndex: 'email' },
          { title: t('admin.users.role'), dataIndex: 'roleName' },
          {
            title: t('admin.users.teams'),
            dataIndex: 'teamIds',
            render: (ids: string[]) => ids.map((id) => <Tag key={id}>{teamName(id)}</Tag>),
          },
          {
            title: t('admin.users.skills'),
            dataIndex: 'skills',
            render: (s: string[]) =>
              (s ?? []).map((x) => (
                <Tag key={x} color="purple">
                  {x}
                </Tag>
              )),
          },
          {
            title: t('admin.users.status'),
            dataIndex: 'status',
            render: (s: User['status']) =>
              s === 'active' ? (
                <Tag color="green">{t('common.active')}</Tag>
              ) : (
                <Tag>{t('common.disabled')}</Tag>
              ),
          },
          {
            title: t('customer.fields.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => fmt.date(v),
          },
          {
            title: t('common.actions'),
            render: (_, u) => (
              <Space>
                <Button size="small" onClick={() => setEditing(u)}>
                  {t('common.edit')}
                </Button>
                {u.status === 'active' ? (
                  <Popconfirm
                    title={t('admin.users.confirmDisable')}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => toggle.mutate(u)}
                  >
                    <Button size="small" danger>
                      {t('common.disable')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => toggle.mutate(u)}>
                    {t('common.enable')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <UserFormModal
        user={editing === 'new' ? undefined : (editing ?? undefined)}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}
