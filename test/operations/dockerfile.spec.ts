import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser, Instruction } from 'dockerfile-ast';
import { nestCli, nestApplications, REPO_ROOT } from '../../k8s/orderflow-apps';

/**
 * No Docker engine exists where these tests run: the Dockerfile is parsed and checked for what can be
 * known without building it.
 */
const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const stages = dockerfile.getFROMs();
const finalStageStart = stages[stages.length - 1].getRange().start.line;
const finalStage = dockerfile
  .getInstructions()
  .filter((instruction) => instruction.getRange().start.line >= finalStageStart);
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

function lastOf(keyword: string, instructions: Instruction[] = finalStage): Instruction | undefined {
  return instructions.filter((instruction) => instruction.getKeyword() === keyword).at(-1);
}

/** The CMD with ${APP} substituted: the file the container runs. */
function startFileFor(app: string): string {
  const command = lastOf('CMD')!.getArgumentsContent()!;
  const script = (JSON.parse(command) as string[]).at(-1)!;
  const match = /node (\S+)/.exec(script.replace(/\$\{?APP\}?/g, app));
  if (!match) throw new Error(`CMD does not start node: ${command}`);
  return match[1];
}

describe('Dockerfile', () => {
  it('is multi-stage, and its final stage takes the app as a build argument', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(
      finalStage.some(
        (instruction) => instruction.getKeyword() === 'ARG' && instruction.getArgumentsContent() === 'APP',
      ),
    ).toBe(true);
  });

  it('pins the base image to an exact version (never latest)', () => {
    const image = argDefault('NODE_IMAGE');
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
    for (const from of stages)
      expect(from.getImageName() === 'node' ? from.getImageTag() : '${NODE_IMAGE}').not.toBe('latest');
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
    expect(
      finalStage.some(
        (instruction) =>
          instruction.getKeyword() === 'RUN' && /npm (ci|install)/.test(instruction.getArgumentsContent() ?? ''),
      ),
    ).toBe(false);
  });

  it('runs as a non-root user', () => {
    const user = lastOf('USER')?.getArgumentsContent();
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it.each(nestApplications())('starts %s from the file its build produces', (app) => {
    const project = nestCli().projects[app];
    // tsc (tsconfig.build.json, rootDir ".") writes apps/<app>/src/main.ts to dist/apps/<app>/src/main.js.
    expect(startFileFor(app)).toBe(`dist/${project.entryFile}.js`);
    expect(fs.existsSync(path.join(REPO_ROOT, `${project.entryFile}.ts`))).toBe(true);
    const copied = finalStage
      .filter((instruction) => instruction.getKeyword() === 'COPY')
      .map((copy) => copyText(copy).replace(/\$\{APP\}/g, app));
    expect(copied).toContain(`--from=build /app/dist/apps/${app} ./dist/apps/${app}`);
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
