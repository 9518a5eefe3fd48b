import { existsSync, readFileSync } from 'node:fs';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * buildah as these machines can run it without a daemon: `chroot` isolation (RUN steps share the
 * host's network). Storage: `overlay` where it can work (root, and the kernel has overlayfs), else
 * `vfs`, which needs no kernel support but copies the whole file system for every layer (several
 * times slower). STORAGE_DRIVER chooses; Debian's buildah 1.28 does not read that variable itself, so
 * it is passed as its global option. A store keeps the driver it was created with: change it only
 * on an empty one.
 */
export function buildahEnvironment(): NodeJS.ProcessEnv {
  return { BUILDAH_ISOLATION: 'chroot', ...process.env };
}

function defaultStorageDriver(): 'overlay' | 'vfs' {
  const overlayfs = existsSync('/proc/filesystems') && /\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'));
  return process.getuid?.() === 0 && overlayfs ? 'overlay' : 'vfs';
}

/** buildah's global options, which go before its command. */
export function buildahGlobalOptions(): string[] {
  return ['--storage-driver', process.env.STORAGE_DRIVER || defaultStorageDriver()];
}

/** Runs buildah and returns its standard output; its errors carry buildah's standard error. */
export async function buildah(args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('buildah', [...buildahGlobalOptions(), ...args], {
      env: buildahEnvironment(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`buildah ${args[0]} failed: ${failed.stderr?.trim() || failed.message}`, { cause: error });
  }
}

/** Runs a command with its output shown as it comes (long builds); rejects on a non-zero exit. */
export function runShown(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = buildahEnvironment(),
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} exited with ${signal ?? code}`)),
    );
  });
}

export async function imageExists(image: string): Promise<boolean> {
  try {
    await buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', image]);
    return true;
  } catch {
    return false;
  }
}
