/**
 * The permission catalog and the built-in roles as permission sets. Admins compose custom roles from the same
 * catalog. A module's policy maps its actions onto these permissions.
 */
export const PERMISSIONS = {
  'customer.read': 'customers',
  'customer.create': 'customers',
  'customer.update': 'customers',
  'customer.delete': 'customers',
  'customer.merge': 'customers',
  'customer.assign': 'customers',
  'customer.import': 'customers',
  'customer.export': 'customers',
  'customer.export.pii': 'customers',
  'customer.pii.read': 'customers',
  'customer.pii.reveal': 'customers',
  'customer.field.mobile.view': 'customers',
  'customer.field.phone.view': 'customers',
  'customer.field.email.view': 'customers',
  'customer.field.address.view': 'customers',
  'customer.field.birthday.view': 'customers',
  'customer.field.idNumber.view': 'customers',
  'customer.scope.all': 'customers',
  'activity.create': 'customers',
  'task.read.team': 'tasks',
  'user.manage': 'admin',
  'team.manage': 'admin',
  'role.manage': 'admin',
  'customfield.manage': 'admin',
  'audit.read': 'admin',
  'process.manage': 'admin',
  'calendar.manage': 'admin',
  'webhook.manage': 'admin',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL = '*';

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(PERMISSIONS, p);
}

const agent: Permission[] = [
  'customer.read',
  'customer.create',
  'customer.update',
  'customer.export',
  'customer.pii.reveal',
  'activity.create',
];
const supervisor: Permission[] = [
  ...agent,
  'customer.merge',
  'customer.assign',
  'customer.import',
  'customer.pii.read',
  'task.read.team',
];
const manager: Permission[] = [
  ...supervisor,
  'customer.delete',
  'customer.scope.all',
  'customer.export.pii',
  'audit.read',
];
const finance: Permission[] = [
  'customer.read',
  'customer.scope.all',
  'customer.export',
  'customer.pii.reveal',
];

export const BUILTIN_ROLES: Record<
  string,
  { permissions: string[]; name: Record<'zh-CN' | 'en' | 'es', string> }
> = {
  agent: { permissions: agent, name: { 'zh-CN': '客服专员', en: 'Agent', es: 'Agente' } },
  supervisor: { permissions: supervisor, name: { 'zh-CN': '客服主管', en: 'Supervisor', es: 'Supervisor' } },
  manager: { permissions: manager, name: { 'zh-CN': '经理', en: 'Manager', es: 'Gerente' } },
  finance: { permissions: finance, name: { 'zh-CN': '财务', en: 'Finance', es: 'Finanzas' } },
  admin: { permissions: [ALL], name: { 'zh-CN': '管理员', en: 'Administrator', es: 'Administrador' } },
};

/**
 * A role's name in the reader's language: a built-in role whose name was never changed (it still reads as one
 * of its built-in names) is shown in `locale`; custom roles and renamed built-ins keep their own name.
 */
export function roleDisplayName(key: string, name: string, locale: 'zh-CN' | 'en' | 'es'): string {
  const def = (BUILTIN_ROLES as Record<string, { name: Record<string, string> } | undefined>)[key];
  if (!def || !Object.values(def.name).includes(name)) return name;
  return def.name[locale] ?? name;
}
