// The identity module's public door: organizations, users, teams, roles, sessions and API tokens.
import { registerAuditedTable } from '../../platform/audit/audit.ts';

registerAuditedTable({
  entityType: 'user',
  table: 'users',
  exclude: ['failed_logins', 'locked_until', 'last_login_at'],
});
registerAuditedTable({ entityType: 'role', table: 'roles' });
registerAuditedTable({ entityType: 'team', table: 'teams' });

export { authRoutes, makeAuthenticator } from './auth.routes.ts';
export { type AuthService, actorOf, makeAuthService, SESSION_COOKIE } from './auth.service.ts';
export type { UserWithRole } from './identity.repo.ts';
export { identityRoutes, presentUser } from './identity.routes.ts';
export { type IdentityService, makeIdentityService } from './identity.service.ts';
