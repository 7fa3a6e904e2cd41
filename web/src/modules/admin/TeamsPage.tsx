import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Modal, Select, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useTeams, useUsers } from '../../api/directory';
import type { Team } from '../../api/types';
import { errorText } from '../../ui/errors';
import { createTeam, updateTeam } from './api';
import { useSave } from './useSave';

interface Values {
  name: string;
  supervisorId?: string | null;
}

export default function TeamsPage() {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useUsers();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const open = editing !== null;
  const team = editing === 'new' ? undefined : (editing ?? undefined);
  const userName = (id: string | null) =>
    id ? (users.data?.find((u) => u.id === id)?.name ?? id) : t('common.none');

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(team ? { name: team.name, supervisorId: team.supervisorId } : {});
  }, [open, team, form]);

  const save = useSave<Values>({
    form,
    listKey: 'teams',
    fields: ['name', 'supervisorId'],
    onDone: () => setEditing(null),
    save: (v) => {
      const body = { name: v.name.trim(), supervisorId: v.supervisorId ?? null };
      return team ? updateTeam(team.id, body) : createTeam(body);
    },
  });
  const general = save.error && !(save.error instanceof ApiError && Object.keys(save.error.fields).length);

  return (
    <Card
      title={t('admin.teams.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('admin.teams.new')}
        </Button>
      }
    >
      {teams.isError && (
        <Alert type="error" showIcon title={errorText(teams.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Team>
        rowKey="id"
        loading={teams.isLoading}
        dataSource={teams.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.teams.name'), dataIndex: 'name' },
          {
            title: t('admin.teams.supervisor'),
            dataIndex: 'supervisorId',
            render: (v: string | null) => userName(v),
          },
          {
            title: t('admin.teams.members'),
            dataIndex: 'memberIds',
            render: (ids: string[]) => ids?.length ?? 0,
          },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Button size="small" onClick={() => setEditing(r)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={team ? t('admin.teams.edit') : t('admin.teams.new')}
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
        <Form form={form} name="team" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('admin.teams.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="supervisorId" label={t('admin.teams.supervisor')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={users.isLoading}
              options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.roleName})` }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
