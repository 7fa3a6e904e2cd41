import {
  ApartmentOutlined,
  AppstoreAddOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  FieldTimeOutlined,
  LogoutOutlined,
  SafetyOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UsergroupAddOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Avatar, Button, Flex, Layout, Menu, type MenuProps, Result, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { logout, useCan, useSessionQuery } from '../modules/auth/session';
import { NotificationBell } from '../modules/notifications/NotificationBell';
import { ApprovalsMenuLabel } from '../modules/processes/ApprovalsMenuLabel';
import { errorText } from '../ui/errors';
import { LanguageSelect } from '../ui/LanguageSelect';
import { PageLoading } from '../ui/PageLoading';

const { Header, Sider, Content } = Layout;

/** The menu key that matches a path: the longest menu path that prefixes it. */
function selectedKey(pathname: string, keys: string[]): string[] {
  const match = keys
    .filter((k) => pathname === k || pathname.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length);
  return match.length ? [match[0]] : [];
}

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSessionQuery();
  const can = useCan();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo<NonNullable<MenuProps['items']>>(() => {
    const out: NonNullable<MenuProps['items']> = [
      { key: '/my-day', icon: <CalendarOutlined />, label: t('nav.myDay') },
    ];
    if (can('customer.read')) {
      const children = [{ key: '/customers', icon: <UnorderedListOutlined />, label: t('nav.customerList') }];
      if (can('customer.import'))
        children.push({ key: '/customers/import', icon: <CloudUploadOutlined />, label: t('nav.import') });
      out.push({ key: 'customers', icon: <TeamOutlined />, label: t('nav.customers'), children });
    }
    out.push({ key: '/tasks', icon: <CheckSquareOutlined />, label: t('nav.tasks') });
    out.push({ key: '/notifications', icon: <BellOutlined />, label: t('notifications.nav') });
    out.push({ key: '/approvals', icon: <AuditOutlined />, label: <ApprovalsMenuLabel /> });
    const admin = [
      can('user.manage') && { key: '/admin/users', icon: <UserOutlined />, label: t('nav.users') },
      can('team.manage') && { key: '/admin/teams', icon: <UsergroupAddOutlined />, label: t('nav.teams') },
      can('role.manage') && { key: '/admin/roles', icon: <SafetyOutlined />, label: t('nav.roles') },
      can('customfield.manage') && {
        key: '/admin/custom-fields',
        icon: <AppstoreAddOutlined />,
        label: t('nav.customFields'),
      },
      can('process.manage') && {
        key: '/admin/processes',
        icon: <ApartmentOutlined />,
        label: t('processes.nav'),
      },
      can('process.manage') && {
        key: '/admin/task-types',
        icon: <TagsOutlined />,
        label: t('taskTypes.nav'),
      },
      can('calendar.manage') && {
        key: '/admin/calendar',
        icon: <FieldTimeOutlined />,
        label: t('calendar.nav'),
      },
    ].filter((x): x is { key: string; icon: React.JSX.Element; label: string } => Boolean(x));
    if (admin.length)
      out.push({ key: 'admin', icon: <SettingOutlined />, label: t('nav.admin'), children: admin });
    return out;
  }, [can, t]);

  if (session.isPending) return <PageLoading />;
  if (session.isError)
    return (
      <Result
        status="error"
        title={errorText(session.error, t)}
        extra={<Button onClick={() => session.refetch()}>{t('common.reload')}</Button>}
      />
    );
  if (!session.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  const { user, org } = session.data;
  const leafKeys = [
    '/my-day',
    '/customers',
    '/customers/import',
    '/tasks',
    '/notifications',
    '/approvals',
    '/admin/processes',
    '/admin/users',
    '/admin/teams',
    '/admin/roles',
    '/admin/custom-fields',
    '/admin/calendar',
    '/admin/task-types',
  ];

  async function onLogout() {
    await logout().catch(() => undefined);
    qc.clear();
    qc.setQueryData(['session'], null);
    navigate('/login', { replace: true });
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208} theme="dark">
        <Flex align="center" gap={8} style={{ height: 56, padding: '0 20px', color: '#fff' }}>
          <img src="/favicon.svg" alt="" width={26} height={26} />
          {!collapsed && (
            <Typography.Text strong style={{ color: '#fff', fontSize: 18 }}>
              {t('app.name')}
            </Typography.Text>
          )}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selectedKey(location.pathname, leafKeys)}
          defaultOpenKeys={['customers', 'admin']}
          onClick={({ key }) => navigate(key)}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text type="secondary">{org.name}</Typography.Text>
          <Space size="middle">
            <NotificationBell />
            <LanguageSelect size="small" />
            <Space
              size={6}
              data-testid="current-user"
              role="link"
              title={t('selfService.nav')}
              style={{ cursor: 'pointer' }}
              onClick={() => navigate('/account')}
            >
              <Avatar size="small" icon={<UserOutlined />} />
              <span>{user.name}</span>
              <Typography.Text type="secondary">{user.roleName}</Typography.Text>
            </Space>
            <Button size="small" icon={<LogoutOutlined />} onClick={onLogout}>
              {t('nav.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 16 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
