import type { Command } from 'commander';
import { systemCtx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { cliMessage, newPasswordInput } from './password-input.ts';
import { actAs, print, resolveOrg, withKept } from './shared.ts';

export function registerIdentityCommands(program: Command) {
  const org = program.command('org').description('organizations');
  org
    .command('create')
    .description('create an organization with its built-in roles and first admin')
    .requiredOption('--name <name>', 'organization name')
    .requiredOption('--admin-email <email>', 'email of the first admin')
    .requiredOption('--admin-password <password>', 'password of the first admin (8+ characters)')
    .option('--admin-name <name>', 'display name of the first admin', 'Admin')
    .option('--slug <slug>', 'short name used by --org and at login')
    .option('--time-zone <tz>', 'IANA time zone', 'Asia/Shanghai')
    .action(async (o) => {
      if (String(o.adminPassword).length < 8) throw new Error('--admin-password needs at least 8 characters');
      await withKept(async (k) => {
        const r = await k.services.identity.createOrg({
          name: o.name,
          slug: o.slug,
          timeZone: o.timeZone,
          adminEmail: o.adminEmail,
          adminPassword: o.adminPassword,
          adminName: o.adminName,
        });
        print(
          `created organization "${r.org.name}" (slug ${r.org.slug}, id ${r.org.org_id}); admin ${r.admin.email}`,
        );
      });
    });
  org
    .command('list')
    .description('list organizations')
    .action(async () => {
      await withKept(async (k) => {
        for (const o of await k.services.identity.listOrgs()) print(`${o.slug}\t${o.org_id}\t${o.name}`);
      });
    });

  const user = program.command('user').description('users');
  user
    .command('add')
    .description('add a user to an organization')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .option('--name <name>', 'display name (defaults to the email)')
    .option('--role <key>', 'role key: agent, supervisor, manager, finance, admin or a custom role', 'agent')
    .option('--skills <list>', 'comma-separated skills', '')
    .option('--org <slug>', 'organization (needed when there are several)')
    .action(async (o) => {
      await withKept(async (k) => {
        const orgRow = await resolveOrg(k, o.org);
        const ctx = await actAs(k, orgRow.org_id);
        const u = await k.services.identity.createUser(ctx, {
          email: o.email,
          password: o.password,
          name: o.name ?? o.email,
          roleKey: o.role,
          skills: String(o.skills)
            .split(',')
            .map((s: string) => s.trim())
            .filter(Boolean),
        });
        print(`added ${u.email} (${u.role_key}) to ${orgRow.slug}; id ${u.id}`);
      });
    });

  user
    .command('set-password')
    .description(
      "set a user's password (asked twice on a terminal, else read from stdin); ends the user's sessions, audited",
    )
    .requiredOption('--email <email>', 'the user')
    .option('--org <slug>', 'organization (needed when there are several)')
    .option('--password-stdin', 'read the new password from stdin (one line)')
    .action(async (o) => {
      const password = await newPasswordInput(!!o.passwordStdin);
      await withKept(async (k) => {
        const orgRow = await resolveOrg(k, o.org);
        const ctx = systemCtx(orgRow.org_id, { name: 'kept user set-password' });
        const r = await k.services.auth.setPassword(ctx, o.email, password).catch((e) => {
          if (e instanceof AppError && e.code === 'not_found')
            throw new Error(`No user ${o.email} in ${orgRow.slug}.`);
          throw cliMessage(e);
        });
        print(`password of ${r.email} in ${orgRow.slug} changed; ${r.sessionsRevoked} session(s) ended`);
      });
    });

  const token = program.command('token').description('personal API tokens');
  token
    .command('create')
    .description('create a personal API token for a user and print it (shown once)')
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--expires-in-days <n>', 'expiry in days')
    .option('--org <slug>')
    .action(async (o) => {
      await withKept(async (k) => {
        const orgRow = await resolveOrg(k, o.org);
        const ctx = await actAs(k, orgRow.org_id, o.email);
        const t = await k.services.auth.createToken(ctx, {
          name: o.name,
          expiresInDays: o.expiresInDays ? Number(o.expiresInDays) : undefined,
        });
        print(t.token);
      });
    });
}
