import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DEMO_SLUG, DEMO_USERS, demoPassword, seedDemo } from '../modules/demo/index.ts';
import { loadConfig } from '../platform/config/config.ts';
import { deleteOrgData } from '../platform/db/org-data.ts';
import { print, withKept } from './shared.ts';

export function registerDemoCommand(program: Command) {
  program
    .command('demo')
    .description('create the demo organization 示例公司 (with --reset: delete it first and create it anew)')
    .option('--reset', 'delete the existing demo organization and all its data first')
    .option('--customers <n>', 'how many demo customers', '200')
    .action(async (o) => {
      await withKept(async (k) => {
        const existing = await k.services.identity.orgBySlug(DEMO_SLUG);
        if (existing && !o.reset)
          throw new Error('The demo organization exists already; use `kept demo --reset` to recreate it.');
        if (existing) {
          await k.db.transaction((tx) => deleteOrgData(tx, existing.org_id));
          print('deleted the demo organization');
        }
        const pw = demoPassword(loadConfig().demoPassword);
        const bar = new cliProgress.SingleBar(
          { format: '  demo customers {bar} {value}/{total}' },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Number(o.customers), 0);
        await seedDemo(k.services, pw.password, {
          customers: Number(o.customers),
          onProgress: (d) => bar.update(d),
        });
        bar.stop();
        print('created the demo organization 示例公司; sign in with:');
        for (const u of DEMO_USERS) print(`  ${u.email.padEnd(22)} ${u.roleKey}`);
        print(`password: ${pw.password}`);
      });
    });
}
