import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser, From, Instruction, PropertyInstruction } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';
import { STREAMS_IMAGE_USER } from '../../k8s/generate';
import { NODE_IMAGE_USER } from '../../k8s/generator/environment';
import { deployableStreamApps, nestCli, nestApplications, REPO_ROOT } from '../../k8s/orderflow-apps';
import { localBaseImageArguments, NODE_USER_ID, NODE_VERSION } from '../../tools/images/base-images';
import { imageSpecs } from '../../tools/images/images';
import { nodeOptions } from '../../tools/system/apps';

/**
 * No Docker engine exists where these tests run: the Dockerfile is parsed and checked for what can be
 * known without building it. CI builds and runs the images too (npm run images:build, images:check).
 */
const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const stages = dockerfile.getFROMs();
/** Whether a FROM names an earlier stage rather than an image. */
const isStage = (image: string) => stages.some((stage) => stage.getBuildStage() === image);

/** The instructions of one stage, from its FROM up to the next one. */
function stageOf(from: From): Instruction[] {
  const start = from.getRange().start.line;
  const end = stages[stages.indexOf(from) + 1]?.getRange().start.line ?? Infinity;
  return dockerfile.getInstructions().filter((instruction) => {
    const line = instruction.getRange().start.line;
    return line >= start && line < end;
  });
}

function stageNamed(name: string): Instruction[] {
  const from = stages.find((candidate) => candidate.getBuildStage() === name);
  if (!from) throw new Error(`no stage "${name}" in the Dockerfile`);
  return stageOf(from);
}

// `docker build` without --target builds the last stage: the Node runtime.
const finalStage = stageOf(stages[stages.length - 1]);

const argDefault = (name: string) =>
  dockerfile
    .getInstructions()
    .filter((instruction) => instruction.getRange().start.line < stages[0].getRange().start.line)
    .find(
      (instruction) => instruction.getKeyword() === 'ARG' && instruction.getArgumentsContent()?.startsWith(`${name}=`),
    )
    ?.getArgumentsContent()
    ?.split('=')[1];

interface Flagged {
  getFlags(): { getName(): string; getValue(): string | null }[];
}

/** A COPY as written: dockerfile-ast keeps flags (--from) apart from the arguments. */
function copyText(copy: Instruction): string {
  const flags = (copy as unknown as Flagged).getFlags().map((flag) => `--${flag.getName()}=${flag.getValue()}`);
  return [...flags, copy.getArgumentsContent() ?? ''].join(' ');
}

function allOf(keyword: string, instructions: Instruction[]): Instruction[] {
  return instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

function lastOf(keyword: string, instructions: Instruction[] = finalStage): Instruction | undefined {
  return allOf(keyword, instructions).at(-1);
}

/** The ENV variables a stage sets. */
function environmentOf(instructions: Instruction[]): Record<string, string> {
  return Object.fromEntries(
    allOf('ENV', instructions).flatMap((env) =>
      (env as PropertyInstruction).getProperties().map((property) => [property.getName(), property.getValue() ?? '']),
    ),
  );
}

/** The CMD with ${APP} substituted: the node flags and the file the container runs. */
function startCommandFor(app: string): { flags: string[]; file: string } {
  const command = lastOf('CMD')!.getArgumentsContent()!;
  const script = (JSON.parse(command) as string[]).at(-1)!;
  const match = /\bnode((?:\s+--\S+)*)\s+(\S+)/.exec(script.replace(/\$\{?APP\}?/g, app));
  if (!match) throw new Error(`CMD does not start node: ${command}`);
  return { flags: match[1].trim().split(/\s+/).filter(Boolean), file: match[2] };
}

describe('Dockerfile', () => {
  it('is multi-stage, and its final stage (the default target) takes the Node app as a build argument', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.at(-1)?.getBuildStage()).toBe('runtime');
    expect(
      finalStage.some(
        (instruction) => instruction.getKeyword() === 'ARG' && instruction.getArgumentsContent() === 'APP',
      ),
    ).toBe(true);
  });

  it('pins every base image to an exact version (never latest), and by digest where it could be read', () => {
    const digest = '@sha256:[0-9a-f]{64}';
    // No digest of node:24.22.3-bookworm-slim could be read or found from where this was written (the
    // Dockerfile says so); the other two are pinned by digest.
    const pinned: Record<string, RegExp> = {
      NODE_IMAGE: new RegExp(`^node:\\d+\\.\\d+\\.\\d+-[a-z]+-slim(${digest})?$`),
      MAVEN_IMAGE: new RegExp(`^maven:3\\.9\\.\\d+-eclipse-temurin-17(-[a-z]+)?${digest}$`),
      JRE_IMAGE: new RegExp(`^eclipse-temurin:17\\.0\\.\\d+_\\d+-jre(-[a-z]+)?${digest}$`),
    };
    const images = stages
      .filter((from) => !isStage(from.getImage() ?? ''))
      .map((from) => {
        const argument = /^\$\{(\w+)\}$/.exec(from.getImage() ?? '')?.[1] ?? '';
        const image = argDefault(argument) ?? from.getImage();
        return { stage: from.getBuildStage(), image, isPinned: pinned[argument]?.test(image ?? '') ?? false };
      });
    expect(images.filter((image) => !image.isPinned)).toEqual([]);
  });

  it('takes every base image as a build argument, the ones npm run images:build replaces with local images', () => {
    const external = stages.map((from) => from.getImage() ?? '').filter((image) => !isStage(image));
    const baseArguments = [...new Set(external.map((image) => /^\$\{(\w+)\}$/.exec(image)?.[1] ?? image))];
    expect(baseArguments.sort()).toEqual(Object.keys(localBaseImageArguments()).sort());
  });

  it('takes, in its final stage, the build arguments npm run images:build passes each app', () => {
    const declared = allOf('ARG', finalStage).map((arg) => arg.getArgumentsContent()!.split('=')[0]);
    for (const image of imageSpecs().filter((spec) => spec.kind === 'node')) {
      expect(Object.keys(image.buildArgs).sort()).toEqual(declared.sort());
    }
  });

  it('runs the Node version CI tests on, the one package.json asks for', () => {
    const image = /^node:(\d+\.\d+\.\d+)-/.exec(argDefault('NODE_IMAGE') ?? '')?.[1];
    const ciNode = /^NODE_VERSION=(\S+)$/m.exec(
      fs.readFileSync(path.join(REPO_ROOT, 'tools/node/node24.sh'), 'utf8'),
    )?.[1];
    const engines = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).engines.node;
    expect(image).toBeDefined();
    expect(image).toBe(ciNode);
    expect(engines).toBe(`>=${image!.split('.')[0]}`);
    // The locally assembled base image (npm run images:build) reads the same file.
    expect(NODE_VERSION).toBe(ciNode);
  });

  it('installs only production dependencies into the final image', () => {
    const runs = dockerfile.getInstructions().filter((instruction) => instruction.getKeyword() === 'RUN');
    const productionInstall = runs.find((instruction) =>
      /npm ci .*--omit=dev/.test(instruction.getArgumentsContent() ?? ''),
    );
    expect(productionInstall).toBeDefined();
    const copies = finalStage.filter((instruction) => instruction.getKeyword() === 'COPY').map(copyText);
    const nodeModules = copies.filter((copy) => copy.includes('node_modules'));
    expect(nodeModules).toEqual(['--from=production-dependencies /app/node_modules ./node_modules']);
    // No RUN at all: nothing is installed into it, and (vfs) no layer copies the whole image.
    expect(allOf('RUN', finalStage)).toEqual([]);
  });

  it.each(['runtime', ...deployableStreamApps().map((app) => app.name)])(
    'runs the %s image as a numeric non-root user (Kubernetes can verify runAsNonRoot only for a uid)',
    (stage) => {
      const user = lastOf('USER', stageNamed(stage))?.getArgumentsContent();
      expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    },
  );

  it('runs the Node apps as the uid their Deployments run them as, the node user of the base images', () => {
    expect(lastOf('USER')?.getArgumentsContent()).toBe(`${NODE_IMAGE_USER}:${NODE_IMAGE_USER}`);
    expect(NODE_USER_ID).toBe(NODE_IMAGE_USER);
  });

  it.each(['runtime', ...deployableStreamApps().map((app) => app.name)])(
    'gives the %s image a HEALTHCHECK that asks /health/ready on the HTTP_PORT it sets',
    (stage) => {
      const instructions = stageNamed(stage);
      const healthchecks = allOf('HEALTHCHECK', instructions);
      expect(healthchecks).toHaveLength(1);
      const [kind, ...command] = healthchecks[0].getArgumentsContent()!.split(/\s+(?=\[)/);
      expect(kind).toBe('CMD');
      const script = (JSON.parse(command.join(' ')) as string[]).join(' ');
      expect(script).toContain('/dev/tcp/127.0.0.1/${HTTP_PORT}');
      expect(script).toContain('GET /health/ready');
      expect(environmentOf(instructions).HTTP_PORT).toBeDefined();
    },
  );

  it('starts node with the V8 flags tools/system uses locally', () => {
    expect(startCommandFor('orders').flags).toEqual([...nodeOptions]);
  });

  it.each(nestApplications())('starts %s from the file its build produces', (app) => {
    const project = nestCli().projects[app];
    // tsc (tsconfig.build.json, rootDir ".") writes apps/<app>/src/main.ts to dist/apps/<app>/src/main.js.
    expect(startCommandFor(app).file).toBe(`dist/${project.entryFile}.js`);
    expect(fs.existsSync(path.join(REPO_ROOT, `${project.entryFile}.ts`))).toBe(true);
    const copied = finalStage
      .filter((instruction) => instruction.getKeyword() === 'COPY')
      .map((copy) => copyText(copy).replace(/\$\{APP\}/g, app));
    expect(copied).toContain(`--from=build /app/dist/apps/${app}/src ./dist/apps/${app}/src`);
  });

  it('copies into the build only what exists and what .dockerignore lets through', () => {
    const ignored = fs
      .readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    const sources = dockerfile
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === 'COPY' && !copyText(instruction).startsWith('--from'))
      .flatMap((copy) =>
        copy
          .getArguments()
          .slice(0, -1)
          .map((argument) => argument.getValue()),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({
        source,
        exists: fs.existsSync(path.join(REPO_ROOT, source)),
        ignored: ignored.includes(source),
      }).toEqual({
        source,
        exists: true,
        ignored: false,
      });
    }
  });
});

describe.each(deployableStreamApps())('Dockerfile target $name (the Kafka Streams processor)', (app) => {
  const stage = stageNamed(app.name);
  const entrypoint = JSON.parse(lastOf('ENTRYPOINT', stage)!.getArgumentsContent()!) as string[];
  const workdir = (instructions: Instruction[]) => lastOf('WORKDIR', instructions)!.getArgumentsContent()!;
  const pom = fs.readFileSync(path.join(REPO_ROOT, 'streams', app.name, 'pom.xml'), 'utf8');

  it('runs the jar that `mvn package` builds from streams/<app>/pom.xml (shaded, runnable), and nothing else', () => {
    const finalName = /<finalName>([^<]+)<\/finalName>/.exec(pom)?.[1];
    expect(finalName).toBeDefined();
    // The shade plugin replaces target/<finalName>.jar with the runnable jar at `package`.
    expect(pom).toMatch(/<phase>package<\/phase>\s*<goals><goal>shade<\/goal><\/goals>/);
    expect(pom).toMatch(/<mainClass>[\w.]+<\/mainClass>/);

    const copies = allOf('COPY', stage).map(copyText);
    expect(copies).toHaveLength(1);
    const [, from, source, destination] = /^--from=(\S+) (\S+) (\S+)$/.exec(copies[0]) ?? [];
    const build = stageNamed(from);
    expect(allOf('RUN', build).some((run) => /\bmvn\b.* package\b/.test(run.getArgumentsContent() ?? ''))).toBe(true);
    expect(source).toBe(path.posix.join(workdir(build), 'target', `${finalName}.jar`));

    const jar = entrypoint[entrypoint.indexOf('-jar') + 1];
    expect(jar).toBe(path.posix.resolve(workdir(stage), destination));
  });

  it('starts the JVM with the flags tools/system uses locally (heap cap included)', () => {
    expect(entrypoint[0]).toBe('java');
    expect(entrypoint.slice(1, entrypoint.indexOf('-jar'))).toEqual([...app.jvmOptions]);
    expect(app.jvmOptions.some((option) => option.startsWith('-Xmx'))).toBe(true);
  });

  it('exposes its health port and keeps its state on a volume, as Kubernetes runs it', () => {
    const environment = environmentOf(stage);
    expect(allOf('EXPOSE', stage).map((expose) => expose.getArgumentsContent())).toEqual([String(app.port)]);
    expect(environment.HTTP_PORT).toBe(String(app.port));
    expect(JSON.parse(lastOf('VOLUME', stage)!.getArgumentsContent()!)).toEqual([environment.STATE_DIR]);
    // The state directory belongs to the image's user, the one Kubernetes runs it as.
    const setup = lastOf('RUN', stage)?.getArgumentsContent() ?? '';
    const owner = new RegExp(`install -d -o (\\S+) .*${environment.STATE_DIR}$`).exec(setup)?.[1];
    expect(owner).toBeDefined();
    expect(setup).toMatch(new RegExp(`useradd .*--uid ${STREAMS_IMAGE_USER} .*\\b${owner}\\b`));
    expect(lastOf('USER', stage)?.getArgumentsContent()).toBe(`${STREAMS_IMAGE_USER}:${STREAMS_IMAGE_USER}`);
    const [deployment] = parseAllDocuments(
      fs.readFileSync(path.join(REPO_ROOT, 'k8s', 'base', 'apps', `${app.name}.yaml`), 'utf8'),
    ).map((document) => document.toJSON());
    const container = deployment.spec.template.spec.containers[0];
    expect(deployment.spec.template.spec.securityContext.runAsUser).toBe(STREAMS_IMAGE_USER);
    expect(container.env).toContainEqual({ name: 'STATE_DIR', value: environment.STATE_DIR });
  });
});
