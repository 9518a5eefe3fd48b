import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { KAFKA_METADATA_VERSION, KAFKA_VERSION } from '../../k8s/generate';
import { deployableStreamApps, REPO_ROOT } from '../../k8s/orderflow-apps';
import { kafkaVersion } from '../../tools/kafka/broker';
import { operatorReleases, strimziKafkaVersions } from './operator-releases';
import { KubernetesObject, ofKind, renderOverlay } from './rendered-manifests';

// Rendered once, outside any test's timeout: kubectl kustomize takes seconds on a busy machine.
const rendered = { dev: renderOverlay('dev'), prod: renderOverlay('prod') };

interface PodSpec {
  containers: { name: string; image: string }[];
}

/** The tag of every apache/kafka image the objects run, by where it is. */
function kafkaImageTags(objects: KubernetesObject[], overlay: string): [string, string][] {
  return objects.flatMap((object) => {
    const template = (object.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
    return (template?.containers ?? [])
      .filter((container) => container.image.startsWith('apache/kafka:'))
      .map((container): [string, string] => [
        `k8s/overlays/${overlay} ${object.kind}/${object.metadata.name} image`,
        container.image.split(':')[1],
      ]);
  });
}

/** Where each target takes its Kafka version from, and the version it finds there. */
async function kafkaVersions(): Promise<[string, string][]> {
  const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: { kafka: { image: string } };
  };
  const [kafka] = ofKind<KubernetesObject & { spec: { kafka: { version?: string } } }>(rendered.prod, 'Kafka');
  return [
    ['tools/kafka/pom.xml (the local broker)', await kafkaVersion()],
    ...(await Promise.all(
      deployableStreamApps().map(async ({ name }): Promise<[string, string]> => {
        const pom = path.join('streams', name, 'pom.xml');
        return [pom, await kafkaVersion(path.join(REPO_ROOT, pom))];
      }),
    )),
    ['docker-compose.yml kafka image', compose.services.kafka.image.split(':')[1]],
    ...kafkaImageTags(rendered.dev, 'dev'),
    ['k8s/overlays/prod Kafka spec.kafka.version', kafka.spec.kafka.version ?? 'unpinned'],
  ];
}

describe('the Kafka version', () => {
  it('is the same everywhere: local broker, stream processor, docker-compose, dev overlay and the Strimzi cluster', async () => {
    const versions = await kafkaVersions();
    expect(versions.length).toBeGreaterThanOrEqual(5);
    expect(versions.filter(([, version]) => version !== KAFKA_VERSION)).toEqual([]);
  });

  it(`is one that Strimzi ${operatorReleases.strimzi.release} runs, with the metadata version it pairs it with`, () => {
    const supported = strimziKafkaVersions();
    expect(supported[KAFKA_VERSION]).toBe(KAFKA_METADATA_VERSION);
    const [kafka] = ofKind<KubernetesObject & { spec: { kafka: { metadataVersion?: string } } }>(
      rendered.prod,
      'Kafka',
    );
    expect(kafka.spec.kafka.metadataVersion).toBe(KAFKA_METADATA_VERSION);
  });
});
