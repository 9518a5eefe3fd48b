import {
  documentedSecrets,
  missingReferences,
  ProvidedSecret,
  selectorProblems,
  shortNameProblems,
  strimziSecrets,
} from './cluster-checks';
import { KubernetesObject, Overlay, renderOverlay } from './rendered-manifests';

const overlays: Overlay[] = ['dev', 'prod'];
// Rendered once, outside any test's timeout.
const rendered = Object.fromEntries(overlays.map((overlay) => [overlay, renderOverlay(overlay)])) as Record<
  Overlay,
  KubernetesObject[]
>;

const namespaceOf = (objects: KubernetesObject[]) =>
  objects.find((object) => object.kind === 'Deployment')?.metadata.namespace ?? '';

/** Secrets made outside the overlay: by Strimzi for its resources, and those an example documents. */
const providedOutside = (overlay: Overlay): ProvidedSecret[] => [
  ...strimziSecrets(rendered[overlay]),
  ...documentedSecrets(overlay),
];

/** Any field of an object, for the deliberate mistakes below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mistake may land anywhere in an object
type Loose = any;

/** A copy of `objects` with `change` applied to the one of `kind` named `name`. */
function changed(objects: KubernetesObject[], kind: string, name: string, change: (object: Loose) => void) {
  return objects.map((object) => {
    if (object.kind !== kind || object.metadata.name !== name) return object;
    const copy = structuredClone(object);
    change(copy);
    return copy;
  });
}

describe.each(overlays)('k8s/overlays/%s on a cluster', (overlay) => {
  const objects = rendered[overlay];

  it('selects pods of its own with every Service, NetworkPolicy and PodDisruptionBudget', () => {
    expect(selectorProblems(objects)).toEqual([]);
  });

  it('provides every Secret and ConfigMap (and key) its pods and scalers name, or documents who does', () => {
    expect(missingReferences(objects, providedOutside(overlay))).toEqual([]);
  });

  it('hands components in other namespaces (KEDA) no short Service names', () => {
    expect(shortNameProblems(objects, namespaceOf(objects))).toEqual([]);
  });
});

describe('the cluster checks can fail', () => {
  it('finds a Service, a NetworkPolicy and a PodDisruptionBudget that select no pod', () => {
    let objects = changed(rendered.dev, 'Service', 'gateway', (service) => {
      service.spec.selector = { 'app.kubernetes.io/name': 'gateway-v2' };
    });
    objects = changed(objects, 'NetworkPolicy', 'orders', (policy) => {
      policy.spec.podSelector.matchLabels = { 'app.kubernetes.io/name': 'order' };
    });
    objects = changed(objects, 'PodDisruptionBudget', 'search', (budget) => {
      budget.spec.selector.matchLabels['orderflow.io/tier'] = 'backend';
    });
    expect(selectorProblems(objects).sort()).toEqual([
      expect.stringMatching(/^NetworkPolicy\/orders selects .*"order"/),
      expect.stringMatching(/^PodDisruptionBudget\/search selects .*backend/),
      expect.stringMatching(/^Service\/gateway selects .*gateway-v2.*: no pod has those labels$/),
    ]);
  });

  it('finds a Secret nothing provides, a missing key, and the database Secret once its example is gone', () => {
    const withoutDatabase = providedOutside('prod').filter((secret) => secret.name !== 'orderflow-database');
    const problems = missingReferences(rendered.prod, withoutDatabase);
    expect(problems).toContain('Deployment/orders needs Secret orderflow-database, which nothing provides');

    const objects = changed(rendered.prod, 'TriggerAuthentication', 'orders-kafka', (authentication) => {
      authentication.spec.secretTargetRef[0].key = 'passwd';
      authentication.spec.secretTargetRef[1].name = 'orderflow-ca';
    });
    expect(missingReferences(objects, providedOutside('prod'))).toEqual([
      'TriggerAuthentication/orders-kafka needs key passwd of Secret orderflow-orders, which has password, sasl.jaas.config',
      'TriggerAuthentication/orders-kafka needs Secret orderflow-ca, which nothing provides',
    ]);
  });

  it('finds a ConfigMap key a pod takes that the ConfigMap lacks, and a ConfigMap nothing makes', () => {
    const objects = changed(rendered.dev, 'Deployment', 'order-analytics', (deployment) => {
      const [container] = deployment.spec.template.spec.containers;
      const shared = container.env.find((variable: Loose) => variable.valueFrom?.configMapKeyRef);
      shared.valueFrom.configMapKeyRef.key = 'KAFKA_BROKER';
      container.envFrom = [{ configMapRef: { name: 'orderflow-streams' } }];
    });
    expect(missingReferences(objects, providedOutside('dev'))).toEqual([
      expect.stringMatching(
        /^Deployment\/order-analytics needs key KAFKA_BROKER of ConfigMap orderflow-config-\w+, which has /,
      ),
      'Deployment/order-analytics needs ConfigMap orderflow-streams, which nothing provides',
    ]);
  });

  it('finds a short bootstrap name and one in another namespace handed to KEDA', () => {
    let objects = changed(rendered.prod, 'ScaledObject', 'orders', (scaled) => {
      scaled.spec.triggers[0].metadata.bootstrapServers = 'orderflow-kafka-bootstrap:9093';
    });
    objects = changed(objects, 'ScaledObject', 'audit', (scaled) => {
      scaled.spec.triggers[0].metadata.bootstrapServers = 'orderflow-kafka-bootstrap.kafka.svc.cluster.local:9093';
    });
    expect(shortNameProblems(objects, 'orderflow')).toEqual([
      'ScaledObject/audit bootstrapServers orderflow-kafka-bootstrap.kafka.svc.cluster.local:9093: names namespace kafka, the overlay deploys to orderflow',
      "ScaledObject/orders bootstrapServers orderflow-kafka-bootstrap:9093: a short name, which KEDA's namespace does not resolve",
    ]);
  });
});
