import { actorOf } from '../modules/identity/index.ts';
import { loadConfig } from '../platform/config/config.ts';
import type { Ctx } from '../platform/context.ts';
import { openKept } from '../runtime.ts';

export type Kept = Awaited<ReturnType<typeof openKept>>;

/** Opens Kept for one command and always closes the database (PGlite holds a lock on its directory). */
export async function withKept<T>(fn: (k: Kept) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const k = await openKept(config);
  try {
    return await fn(k);
  } finally {
    await k.db.close();
  }
}

/** The org a command works on: --org slug, or the only org there is. */
export async function resolveOrg(k: Kept, slug?: string) {
  if (slug) {
    const org = await k.services.identity.orgBySlug(slug);
    if (!org) throw new Error(`No organization with slug "${slug}".`);
    return org;
  }
  const orgs = await k.services.identity.listOrgs();
  if (orgs.length === 1) return orgs[0];
  if (!orgs.length)
    throw new Error('There is no organization yet: run `kept org create` (or start once with the demo).');
  throw new Error(
    `Several organizations exist; pass --org with one of: ${orgs.map((o) => o.slug).join(', ')}`,
  );
}

/** Acts as a named user (their permissions and scope apply), or as the org's first admin. */
export async function actAs(k: Kept, orgId: string, email?: string): Promise<Ctx> {
  const users = await k.services.identity.directory({
    orgId,
    actor: {
      type: 'system',
      userId: null,
      name: 'cli',
      roleKey: 'system',
      permissions: new Set(['*']),
      teamIds: [],
      via: 'system',
    },
    requestId: 'cli',
    locale: 'zh-CN',
  });
  const u = email
    ? users.find((x) => x.email === email.toLowerCase())
    : users.find((x) => x.role_key === 'admin');
  if (!u)
    throw new Error(
      email ? `No active user ${email} in this organization.` : 'This organization has no active admin.',
    );
  return {
    orgId,
    actor: actorOf(u, 'system'),
    requestId: `cli-${Date.now().toString(36)}`,
    locale: (u.locale as Ctx['locale']) ?? 'zh-CN',
  };
}

export function print(line = '') {
  process.stdout.write(`${line}\n`);
}
