import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './system/repository-root';

const REPO_ROOT = repositoryRoot();

/** Formats each file as `npm run lint` expects (prettier, by the file's name). */
export async function formatted(files: Map<string, string>): Promise<Map<string, string>> {
  // Loaded here, not at the top: prettier cannot be required inside Jest, which imports the generators.
  const { format, resolveConfig } = await import('prettier');
  const result = new Map<string, string>();
  for (const [file, content] of files) {
    const filepath = path.join(REPO_ROOT, file);
    result.set(file, await format(content, { ...(await resolveConfig(filepath)), filepath }));
  }
  return result;
}

/**
 * A generator's command line: writes the files (after emptying `replacedFolders`), or with `--check`
 * lists those that differ from what would be written and exits 1.
 */
export function writeOrCheck(files: Map<string, string>, argv: string[], replacedFolders: string[] = []): void {
  if (argv.includes('--check')) {
    const stale = [...files].filter(([file, content]) => {
      const onDisk = path.join(REPO_ROOT, file);
      return !fs.existsSync(onDisk) || fs.readFileSync(onDisk, 'utf8') !== content;
    });
    for (const [file] of stale) process.stdout.write(`stale: ${file}\n`);
    process.exitCode = stale.length > 0 ? 1 : 0;
    return;
  }
  for (const folder of replacedFolders) fs.rmSync(path.join(REPO_ROOT, folder), { recursive: true, force: true });
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(REPO_ROOT, file)), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, file), content);
  }
  process.stdout.write(`wrote ${files.size} files\n`);
}

/** What `<script> --check` says, for a spec asserting that a generator's committed files are current. */
export function generatorCheck(script: string): { status: number | null; stale: string; errors: string } {
  const check = spawnSync(process.execPath, [require.resolve('tsx/cli'), script, '--check'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return { status: check.status, stale: check.stdout.trim(), errors: check.stderr.trim() };
}

/** The answer of `generatorCheck` when every file is current. */
export const CURRENT = { status: 0, stale: '', errors: '' } as const;
