/**
 * The import rules of ARCHITECTURE.md ("Allowed imports"), checked over every .ts/.tsx file under src/ and
 * web/src/. Each relative import or re-export (`import … from '…'`, `export … from '…'`, `import '…'`,
 * `import('…')`) is resolved against its file and classified:
 *  - app (src/*.ts: main, server, worker, kept, runtime; src/cli/) → app, modules/X/index.ts, platform/;
 *  - modules/X → its own files, platform/, modules/Y/index.ts (never Y's other files);
 *  - platform/ → platform/ only (never modules or app);
 *  - web/src → web/ only (it talks HTTP to the server, never imports it).
 * Test files (*.test.ts) and the test kits beside them (test-helpers.ts, testkit.ts) may import anything:
 * they build Kept the way the composition root does and look inside modules on purpose.
 * Package imports (no leading dot) are not checked here.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
const WEB = path.join(ROOT, 'web');

const IMPORT_RE =
  /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') walk(p, out);
    } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The relative specifiers a file imports or re-exports (comments stripped first). */
export function specifiersOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(spec);
  }
  return out;
}

type Area =
  | { kind: 'app' }
  | { kind: 'platform' }
  | { kind: 'module'; name: string; rest: string }
  | { kind: 'web' }
  | { kind: 'other'; rel: string };

function areaOf(abs: string): Area {
  const rel = path.relative(ROOT, abs).split(path.sep).join('/');
  if (rel.startsWith('web/')) return { kind: 'web' };
  if (rel.startsWith('src/platform/')) return { kind: 'platform' };
  const m = /^src\/modules\/([^/]+)\/(.+)$/.exec(rel);
  if (m) return { kind: 'module', name: m[1], rest: m[2] };
  if (rel.startsWith('src/')) return { kind: 'app' };
  return { kind: 'other', rel };
}

const isTestFile = (rel: string) => /\.test\.tsx?$/.test(rel) || /\/(test-helpers|testkit)\.ts$/.test(rel);

/** Why `from` may not import `to`, or null when it may. */
export function violation(fromAbs: string, toAbs: string): string | null {
  const from = areaOf(fromAbs);
  const to = areaOf(toAbs);
  const publicDoor = to.kind === 'module' && to.rest === 'index.ts';
  switch (from.kind) {
    case 'web':
      return to.kind === 'web' ? null : 'web imports nothing outside web/';
    case 'platform':
      return to.kind === 'platform' ? null : 'platform imports platform only';
    case 'module':
      if (to.kind === 'platform') return null;
      if (to.kind === 'module' && (to.name === from.name || publicDoor)) return null;
      return to.kind === 'module'
        ? `modules/${from.name} imports modules/${to.name} only through its index.ts`
        : `modules/${from.name} imports platform/ and other modules' index.ts only`;
    case 'app':
      if (to.kind === 'app' || to.kind === 'platform' || publicDoor) return null;
      return to.kind === 'module'
        ? `imports modules/${to.name} only through its index.ts`
        : 'imports modules/*/index.ts and platform/ only';
    default:
      return null;
  }
}

function resolveSpec(file: string, spec: string): string {
  return path.resolve(path.dirname(file), spec);
}

describe('allowed imports (ARCHITECTURE.md)', () => {
  const files = [...walk(SRC), ...walk(path.join(WEB, 'src'))];

  it('finds the files and their imports (the parser sees both forms)', () => {
    assert.ok(files.length > 100, `only ${files.length} files found`);
    assert.deepEqual(
      specifiersOf(
        `import a from './a.ts';\nimport type { B } from "../b.ts";\nexport { c } from './c.ts';\nexport * from './d.ts';\nimport './e.css';\nimport {\n  f,\n  g,\n} from './f.ts';\nconst h = await import('./h.ts');\n// import x from './commented.ts';\nimport z from 'zod';`,
      ),
      ['./a.ts', '../b.ts', './c.ts', './d.ts', './e.css', './f.ts', './h.ts'],
    );
  });

  it('the rules refuse what they should', () => {
    const at = (rel: string) => path.join(ROOT, rel);
    assert.ok(violation(at('src/kept.ts'), at('src/modules/processes/calendar-clock.ts')));
    assert.equal(violation(at('src/kept.ts'), at('src/modules/processes/index.ts')), null);
    assert.ok(
      violation(at('src/modules/tasks/tasks.service.ts'), at('src/modules/identity/identity.repo.ts')),
    );
    assert.equal(
      violation(at('src/modules/tasks/tasks.service.ts'), at('src/modules/tasks/tasks.repo.ts')),
      null,
    );
    assert.ok(violation(at('src/platform/db/db.ts'), at('src/modules/tasks/index.ts')));
    assert.ok(violation(at('src/modules/tasks/tasks.service.ts'), at('src/kept.ts')));
    assert.ok(violation(at('web/src/main.tsx'), at('src/platform/http/errors.ts')));
  });

  it('every non-test file keeps them', () => {
    const offences: string[] = [];
    for (const file of files) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      if (isTestFile(rel)) continue;
      for (const spec of specifiersOf(fs.readFileSync(file, 'utf8'))) {
        const why = violation(file, resolveSpec(file, spec));
        if (why) offences.push(`${rel}: '${spec}' — ${why}`);
      }
    }
    assert.deepEqual(offences, []);
  });
});
