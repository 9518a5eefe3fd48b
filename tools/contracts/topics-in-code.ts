import { commandTopics, eventTopics, NestApp, nestApps } from '@orderflow/contracts';
import path from 'node:path';
import ts from 'typescript';
import { repositoryRoot } from '../system/repository-root';

/**
 * What the apps' code does with topics, read with the TypeScript type checker (so `Topics.X`, unions
 * such as `outcome.topic` and arrays such as `[...eventTopics]` resolve to the topic names they hold):
 * - consumes: `@EventPattern(topic)` and `@MessagePattern(topic)` handlers;
 * - produces: `createMessage(topic, ...)`, the one way to build an outgoing command or event, and the
 *   helpers that feed it a topic of their caller's (`emit(topic, ...)`, `answerCommand(command, outcome)`
 *   with the topic in `outcome.topic`);
 * - requests: `RequestClient.request(topic, ...)`, request-reply.
 */
export type TopicUseRole = 'consumes' | 'produces' | 'requests';

export interface TopicUse {
  app: NestApp;
  role: TopicUseRole;
  topic: string;
  /** `apps/orders/src/orders/order-saga.controller.ts:19`. */
  where: string;
  /** For a handler of one topic: the class of its validated payload parameter. */
  payloadClass?: string;
}

const CONSUMING_DECORATORS = new Set(['EventPattern', 'MessagePattern']);
const PRODUCING_CALLS = new Set(['createMessage', 'emit']);
/** Producing calls that take the topic as the `topic` of an argument, by the argument's position. */
const PRODUCING_CALLS_OF_OUTCOMES = new Map([['answerCommand', 1]]);
const REQUESTING_CALLS = new Set(['request']);
const VALIDATING_DECORATORS = new Set(['ValidPayload', 'ValidPayloads']);

/**
 * A producing call whose topic may be any command or event only passes on a topic chosen by its
 * caller (orders' outbox writer takes what `emit` collected): the topics are found at the callers.
 */
const ANY_MESSAGE_TOPIC = new Set<string>([...commandTopics, ...eventTopics]);

export function topicUsesInApps(apps: readonly NestApp[] = nestApps): TopicUse[] {
  const root = repositoryRoot();
  const program = createProgram(root, apps);
  const checker = program.getTypeChecker();
  const uses: TopicUse[] = [];
  for (const source of program.getSourceFiles()) {
    const app = apps.find((name) => source.fileName.startsWith(path.join(root, 'apps', name, 'src') + path.sep));
    if (!app || source.fileName.endsWith('.spec.ts')) continue;
    const where = (node: ts.Node) =>
      `${path.relative(root, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        const [topicArgument] = node.arguments;
        if (topicArgument && name) {
          const topics = topicNames(checker, topicArgument);
          if (ts.isDecorator(node.parent) && CONSUMING_DECORATORS.has(name)) {
            const payloadClass = topics.length === 1 ? payloadClassOf(checker, node.parent) : undefined;
            for (const topic of topics) uses.push({ app, role: 'consumes', topic, where: where(node), payloadClass });
          } else if (PRODUCING_CALLS.has(name) && !coversAnyMessageTopic(topics)) {
            for (const topic of topics) uses.push({ app, role: 'produces', topic, where: where(node) });
          } else if (REQUESTING_CALLS.has(name)) {
            for (const topic of topics) uses.push({ app, role: 'requests', topic, where: where(node) });
          }
        }
        const outcomePosition = name === undefined ? undefined : PRODUCING_CALLS_OF_OUTCOMES.get(name);
        const outcome = outcomePosition === undefined ? undefined : node.arguments[outcomePosition];
        if (outcome) {
          for (const topic of topicNamesOfProperty(checker, outcome, 'topic')) {
            uses.push({ app, role: 'produces', topic, where: where(node) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

function createProgram(root: string, apps: readonly NestApp[]): ts.Program {
  const configFile = path.join(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const files = parsed.fileNames.filter((file) =>
    apps.some((app) => file.startsWith(path.join(root, 'apps', app, 'src') + path.sep)),
  );
  return ts.createProgram(files, { ...parsed.options, noEmit: true });
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The topic names an expression can hold: a string literal type, a union of them, or an array of them. */
function topicNames(checker: ts.TypeChecker, expression: ts.Expression): string[] {
  return topicNamesOfType(checker, checker.getTypeAtLocation(expression));
}

/** The topic names a property of an expression's value can hold (of each member, for a union). */
function topicNamesOfProperty(checker: ts.TypeChecker, expression: ts.Expression, property: string): string[] {
  const symbol = checker.getTypeAtLocation(expression).getProperty(property);
  return symbol ? topicNamesOfType(checker, checker.getTypeOfSymbolAtLocation(symbol, expression)) : [];
}

function topicNamesOfType(checker: ts.TypeChecker, type: ts.Type): string[] {
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    if (!element) return [];
    type = element;
  }
  // A type parameter is a topic chosen by the caller, found at the call that fixes it.
  if (type.flags & ts.TypeFlags.TypeParameter) return [];
  const members = type.isUnion() ? type.types : [type];
  return members.filter((member) => member.isStringLiteral()).map((member) => (member as ts.StringLiteralType).value);
}

function coversAnyMessageTopic(topics: string[]): boolean {
  const held = new Set(topics);
  return [...ANY_MESSAGE_TOPIC].every((topic) => held.has(topic));
}

/** The class of the handler's `@ValidPayload()` / `@ValidPayloads(Class)` parameter. */
function payloadClassOf(checker: ts.TypeChecker, decorator: ts.Decorator): string | undefined {
  const method = decorator.parent;
  if (!ts.isMethodDeclaration(method)) return undefined;
  for (const parameter of method.parameters) {
    const validating = ts
      .getDecorators(parameter)
      ?.find(
        (candidate) =>
          ts.isCallExpression(candidate.expression) &&
          VALIDATING_DECORATORS.has(calleeName(candidate.expression) ?? ''),
      );
    if (!validating || !ts.isCallExpression(validating.expression)) continue;
    const [explicitClass] = validating.expression.arguments;
    if (explicitClass) return explicitClass.getText();
    return parameter.type ? checker.typeToString(checker.getTypeFromTypeNode(parameter.type)) : undefined;
  }
  return undefined;
}
