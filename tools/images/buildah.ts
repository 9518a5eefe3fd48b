import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * buildah as these machines can run it without a daemon: `chroot` isolation (RUN steps share the
 * host's network) and the `vfs` storage driver, which needs no kernel support (every layer a full
 * copy: keep layers few). STORAGE_DRIVER=overlay is faster where the kernel allows it; Debian's
 * buildah 1.28 does not read that variable itself, so it is passed as its global option.
 */
export function buildahEnvironment(): NodeJS.ProcessEnv {
  return { BUILDAH_ISOLATION: 'chroot', ...process.env };
}

/** buildah's global options, which go before its command. */
export function buildahGlobalOptions(): string[] {
  return ['--storage-driver', process.env.STORAGE_DRIVER || 'vfs'];
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
