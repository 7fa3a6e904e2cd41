import readline from 'node:readline';
import { AppError } from '../platform/http/errors.ts';
import { t } from '../platform/i18n/i18n.ts';

/** All of stdin as text, without the final line break (`printf 'secret\n' | kept … --password-stdin`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for a secret on the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    out._writeToOutput = (s: string) => {
      if (!asked) {
        asked = true;
        process.stderr.write(s);
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * A new password for a command: from stdin with --password-stdin (or whenever stdin is not a terminal),
 * otherwise asked twice on the terminal.
 */
export async function newPasswordInput(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return readStdin();
  const first = await promptHidden('New password: ');
  const again = await promptHidden('Repeat the new password: ');
  if (first !== again) throw new Error('The two passwords differ; nothing was changed.');
  return first;
}

/** An error of a service as one line of text for the terminal (field messages in English). */
export function cliMessage(err: unknown): Error {
  if (err instanceof AppError && err.fields) {
    const parts = Object.entries(err.fields).map(([f, e]) => `${f}: ${t('en', e.key, e.vars)}`);
    return new Error(parts.join('; '));
  }
  return err instanceof Error ? err : new Error(String(err));
}
