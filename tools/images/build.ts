/**
 * npm run images:build [-- <image>...] [--upstream-bases] [--rebuild-bases]
 *
 * Builds the Dockerfile's images with buildah (no Docker engine): every image by default, or the
 * ones named (gateway, orders, ..., order-analytics). The base images are assembled locally
 * (base-images.ts) unless --upstream-bases, which keeps the Dockerfile's pinned defaults (needs a
 * registry). `--layers` caches each step, so the images of all apps share the build stages and the
 * layers before their own app's files.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { repositoryRoot } from '../system/repository-root';
import { ensureBaseImages, localBaseImageArguments } from './base-images';
import { buildahGlobalOptions, runShown } from './buildah';
import { ImageSpec, selectImages } from './images';

/**
 * What the build machine lends the RUN steps (npm ci, mvn), never part of an image: its trust store (a
 * machine whose HTTPS goes through an inspecting proxy trusts its CA there, and so do the builds; npm
 * reads its CA file from the npmrc mounted for it, Debian's JDK java/cacerts), and its npm cache and
 * Maven repository, warm after `npm ci` and the stream processor's tests, so the builds download little.
 */
function hostVolumes(): string[] {
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  const npmCache = join(homedir(), '.npm');
  const mavenRepository = join(homedir(), '.m2', 'repository');
  const npmrc = join(repositoryRoot(), '.data', 'images', 'build-npmrc');
  mkdirSync(dirname(npmrc), { recursive: true });
  mkdirSync(npmCache, { recursive: true });
  mkdirSync(mavenRepository, { recursive: true });
  writeFileSync(npmrc, [...(existsSync(bundle) ? [`cafile=${bundle}`] : []), 'cache=/host/npm-cache', ''].join('\n'));
  return [
    ...(existsSync(bundle) ? ['--volume', '/etc/ssl/certs:/etc/ssl/certs:ro'] : []),
    '--volume',
    `${npmrc}:/usr/local/etc/npmrc:ro`,
    '--volume',
    `${npmCache}:/host/npm-cache`,
    '--volume',
    `${mavenRepository}:/root/.m2/repository`,
  ];
}

/** Builds one image; with local base images nothing is pulled (a missing one fails at once). */
export async function buildImage(spec: ImageSpec, baseArguments: Record<string, string> | 'upstream'): Promise<void> {
  const local = baseArguments !== 'upstream';
  const buildArgs = Object.entries({ ...(local ? baseArguments : {}), ...spec.buildArgs }).flatMap(([name, value]) => [
    '--build-arg',
    `${name}=${value}`,
  ]);
  await runShown('buildah', [
    ...buildahGlobalOptions(),
    'build',
    '--layers',
    // HEALTHCHECK is kept in the docker format only (OCI images have no such field).
    '--format',
    'docker',
    ...(local ? ['--pull-never'] : []),
    ...hostVolumes(),
    ...(spec.target ? ['--target', spec.target] : []),
    ...buildArgs,
    '--tag',
    spec.image,
    '--file',
    'Dockerfile',
    repositoryRoot(),
  ]);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const upstream = argv.includes('--upstream-bases');
  const rebuild = argv.includes('--rebuild-bases');
  const specs = selectImages(argv.filter((argument) => !argument.startsWith('--')));

  await runShown(join(repositoryRoot(), 'tools/images/install-tools.sh'), [], process.env);
  const started = Date.now();
  if (!upstream) await ensureBaseImages({ rebuild });
  const baseArguments = upstream ? 'upstream' : localBaseImageArguments();
  for (const spec of specs) {
    process.stderr.write(`images: building ${spec.image}\n`);
    await buildImage(spec, baseArguments);
  }
  process.stderr.write(
    `images: built ${specs.map((spec) => spec.name).join(', ')} in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`images: ${error.message}\n`);
    process.exit(1);
  });
}
