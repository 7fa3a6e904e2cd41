// The audit module's public door: reading the audit trail over HTTP. Writing and verifying the trail is
// platform code (src/platform/audit), used by every module's services.
export { auditRoutes } from './audit.routes.ts';
export { type AuditService, makeAuditService } from './audit.service.ts';
