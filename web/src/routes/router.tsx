import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { LoginPage } from '../modules/auth/LoginPage';
import { PageLoading } from '../ui/PageLoading';
import { AppLayout } from './AppLayout';
import { NotFound, RequirePermission } from './guards';

const CustomerListPage = lazy(() => import('../modules/customers/CustomerListPage'));
const CustomerPage = lazy(() => import('../modules/customers/CustomerPage'));
const ImportWizard = lazy(() => import('../modules/customers/import/ImportWizard'));
const MyTasksPage = lazy(() => import('../modules/tasks/MyTasksPage'));
const MyDayPage = lazy(() => import('../modules/myday/MyDayPage'));
const UsersPage = lazy(() => import('../modules/admin/UsersPage'));
const TeamsPage = lazy(() => import('../modules/admin/TeamsPage'));
const RolesPage = lazy(() => import('../modules/admin/RolesPage'));
const CustomFieldsPage = lazy(() => import('../modules/admin/CustomFieldsPage'));
const TaskTypesPage = lazy(() => import('../modules/admin/TaskTypesPage'));
const NotificationsPage = lazy(() => import('../modules/notifications/NotificationsPage'));
const ProcessListPage = lazy(() => import('../modules/processes/ProcessListPage'));
const ProcessEditPage = lazy(() => import('../modules/processes/ProcessEditPage'));
const ApprovalsPage = lazy(() => import('../modules/processes/ApprovalsPage'));
const CalendarPage = lazy(() => import('../modules/calendar/CalendarPage'));
const AccountPage = lazy(() => import('../modules/account/AccountPage'));
const RecordRedirect = lazy(() => import('../modules/records/RecordRedirect'));
const ProcessInstanceRedirect = lazy(() =>
  import('../modules/records/RecordRedirect').then((m) => ({ default: m.ProcessInstanceRedirect })),
);

function page(el: ReactNode, perm?: string) {
  const inner = <Suspense fallback={<PageLoading />}>{el}</Suspense>;
  return perm ? <RequirePermission perm={perm}>{inner}</RequirePermission> : inner;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/my-day" replace /> },
      { path: 'my-day', element: page(<MyDayPage />) },
      { path: 'customers', element: page(<CustomerListPage />, 'customer.read') },
      { path: 'customers/import', element: page(<ImportWizard />, 'customer.import') },
      { path: 'customers/:id', element: page(<CustomerPage />, 'customer.read') },
      { path: 'tasks', element: page(<MyTasksPage />) },
      { path: 'admin/users', element: page(<UsersPage />, 'user.manage') },
      { path: 'admin/teams', element: page(<TeamsPage />, 'team.manage') },
      { path: 'admin/roles', element: page(<RolesPage />, 'role.manage') },
      { path: 'admin/custom-fields', element: page(<CustomFieldsPage />, 'customfield.manage') },
      { path: 'notifications', element: page(<NotificationsPage />) },
      { path: 'account', element: page(<AccountPage />) },
      { path: 'approvals', element: page(<ApprovalsPage />) },
      { path: 'admin/processes', element: page(<ProcessListPage />, 'process.manage') },
      { path: 'admin/task-types', element: page(<TaskTypesPage />, 'process.manage') },
      { path: 'admin/processes/:key', element: page(<ProcessEditPage />, 'process.manage') },
      { path: 'admin/calendar', element: page(<CalendarPage />, 'calendar.manage') },
      { path: 'records/:type/:id', element: page(<RecordRedirect />) },
      { path: 'processes/instances/:id', element: page(<ProcessInstanceRedirect />) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
