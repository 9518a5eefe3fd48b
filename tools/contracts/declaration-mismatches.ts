import { NestApp, nestApps, TopicDeclaration, TopicKind } from '@orderflow/contracts';
import { TopicUse } from './topics-in-code';

const DECLARATION_FILE = 'libs/contracts/src/topic-declarations.ts';

/** Kinds whose producers and consumers are written in the declaration; replies and dead letters follow from them. */
const WRITTEN_KINDS: ReadonlySet<TopicKind> = new Set(['request', 'command', 'event', 'stream-result']);

interface Claim {
  app: NestApp;
  topic: string;
  side: 'producers' | 'consumers';
}

/**
 * What differs between the declaration and what the apps' code does, each as a sentence that says what
 * to add or remove and where. Empty when they agree.
 */
export function declarationMismatches(
  uses: readonly TopicUse[],
  declarations: readonly TopicDeclaration[],
  apps: readonly NestApp[] = nestApps,
): string[] {
  const byTopic = new Map(declarations.map((declaration) => [declaration.topic, declaration]));
  const problems: string[] = [];
  const inCode = new Map<string, TopicUse>();
  for (const use of uses) {
    const claim = claimOf(use);
    inCode.set(keyOf(claim), use);
    const declaration = byTopic.get(use.topic);
    if (!declaration) {
      problems.push(
        `${use.where}: ${use.app} ${use.role} ${use.topic}, which is not declared: add it to ${DECLARATION_FILE}`,
      );
    } else if (!declaration[claim.side].includes(use.app)) {
      problems.push(
        `${use.where}: ${use.app} ${use.role} ${use.topic}: add ${use.app} to its ${claim.side} in ${DECLARATION_FILE}`,
      );
    } else if (use.payloadClass && declaration.message && use.payloadClass !== declaration.message.name) {
      problems.push(
        `${use.where}: the handler of ${use.topic} takes ${use.payloadClass}, but ${use.topic} carries ${declaration.message.name}`,
      );
    }
  }
  for (const declaration of declarations) {
    if (!WRITTEN_KINDS.has(declaration.kind)) continue;
    for (const side of ['producers', 'consumers'] as const) {
      for (const participant of declaration[side]) {
        const app = apps.find((name) => name === participant);
        if (!app || inCode.has(keyOf({ app, topic: declaration.topic, side }))) continue;
        problems.push(
          `${DECLARATION_FILE}: ${app} is declared among the ${side} of ${declaration.topic}, but no code of apps/${app} ` +
            `${side === 'producers' ? 'sends' : 'handles'} it: remove it there, or add the ${side === 'producers' ? 'send' : 'handler'}`,
        );
      }
    }
  }
  return problems;
}

function claimOf(use: TopicUse): Claim {
  return { app: use.app, topic: use.topic, side: use.role === 'consumes' ? 'consumers' : 'producers' };
}

function keyOf(claim: Claim): string {
  return `${claim.app} ${claim.side} ${claim.topic}`;
}
