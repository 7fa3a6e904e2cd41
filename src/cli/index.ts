import { Command } from 'commander';
import { registerAuditCommands } from './audit.command.ts';
import { registerDemoCommand } from './demo.command.ts';
import { registerIdentityCommands } from './identity.command.ts';
import { registerMigrateCommand } from './migrate.command.ts';

/** The `kept` command line. Each command lives in its own file. */
export async function runCli(argv: string[]) {
  const program = new Command();
  program
    .name('kept')
    .description('Kept — customer operations platform. Configuration comes from the environment (see README).')
    .showHelpAfterError();

  program
    .command('serve', { isDefault: true })
    .description('run the API and the web app (creates the demo organization on an empty database)')
    .action(async () => {
      const { serve } = await import('../server.ts');
      await serve();
    });

  registerMigrateCommand(program);
  registerIdentityCommands(program);
  registerAuditCommands(program);
  registerDemoCommand(program);
  await program.parseAsync(argv);
}
