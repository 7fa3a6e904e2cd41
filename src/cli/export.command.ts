import fs from 'node:fs';
import type { Command } from 'commander';
import { actAs, print, resolveOrg, withKept } from './shared.ts';

export function registerExportCommand(program: Command) {
  const exp = program.command('export').description('export records to a file');
  exp
    .command('customers')
    .description(
      "export customers as CSV or XLSX (the actor's scope; phone columns only with customer.export.pii; audited)",
    )
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', 'csv or xlsx (default: from the --out extension, else csv)')
    .option('--org <slug>', 'organization (needed when there are several)')
    .option('--as <email>', "act as this user (default: the org's first admin)")
    .option('--q <text>', 'search text, as in the customer list')
    .option('--kind <kind>', 'person or company')
    .option('--member-level <level>')
    .option('--source-channel <channel>')
    .option('--owner-id <id>', "a user id, or 'none' for unassigned")
    .option('--team-id <id>')
    .option('--tag <tag>')
    .action(async (o) => {
      const format = (o.format ?? (/\.xlsx$/i.test(o.out) ? 'xlsx' : 'csv')).toLowerCase();
      if (format !== 'csv' && format !== 'xlsx') throw new Error('--format must be csv or xlsx');
      if (o.kind && o.kind !== 'person' && o.kind !== 'company')
        throw new Error('--kind must be person or company');
      await withKept(async (k) => {
        const org = await resolveOrg(k, o.org);
        const ctx = await actAs(k, org.org_id, o.as);
        const job = await k.services.imports.exports.prepare(ctx, format, {
          q: o.q,
          kind: o.kind,
          memberLevel: o.memberLevel,
          sourceChannel: o.sourceChannel,
          ownerId: o.ownerId,
          teamId: o.teamId,
          tag: o.tag,
        });
        const tmp = `${o.out}.part`;
        const { rows } = await job.run(fs.createWriteStream(tmp));
        fs.renameSync(tmp, o.out);
        print(
          `exported ${rows} customers to ${o.out}${job.pii ? '' : ' (without phone numbers: no customer.export.pii)'}`,
        );
      });
    });
}
