import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { verifyAudit } from '../platform/audit/audit.ts';
import { print, resolveOrg, withKept } from './shared.ts';

export function registerAuditCommands(program: Command) {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'check the hash chain and that every audited row matches its last event; exit 1 on the first problem',
    )
    .option('--org <slug>', 'organization (default: every organization)')
    .action(async (o) => {
      const failed = await withKept(async (k) => {
        const orgs = o.org ? [await resolveOrg(k, o.org)] : await k.services.identity.listOrgs();
        let bad = false;
        for (const org of orgs) {
          const bar = process.stdout.isTTY
            ? new cliProgress.SingleBar(
                { format: `  ${org.slug} {bar} {value}/{total} events` },
                cliProgress.Presets.shades_classic,
              )
            : null;
          bar?.start(1, 0);
          const r = await verifyAudit(k.db, org.org_id, {
            onProgress: (done, total) => {
              bar?.setTotal(total);
              bar?.update(done);
            },
          });
          bar?.stop();
          if (r.ok) {
            print(
              `${org.slug}: OK — ${r.events} events in an unbroken chain; ${r.rowsChecked} rows match their last event`,
            );
          } else {
            bad = true;
            print(`${org.slug}: FAILED — ${r.problems.length} problem(s). First: ${r.firstProblem?.message}`);
            for (const p of r.problems.slice(1, 10)) print(`  also: ${p.message}`);
          }
        }
        return bad;
      });
      if (failed) process.exitCode = 1;
    });
}
