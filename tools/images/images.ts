import { AppName, appNames, appPorts } from '../system/apps';
import { StreamAppName, streamAppNames, streamAppPorts } from '../system/streams-apps';

/** One image of the system: what Kubernetes and compose run as `orderflow/<name>`. */
export interface ImageSpec {
  name: AppName | StreamAppName;
  kind: 'node' | 'streams';
  /** The image as buildah names it (the k8s manifests' `orderflow/<name>`, tag latest). */
  image: string;
  /** The Dockerfile's target: the default (last) one for the Node apps, the processor's own stage. */
  target?: string;
  buildArgs: Record<string, string>;
  port: number;
}

export function imageName(name: string): string {
  return `localhost/orderflow/${name}:latest`;
}

/** Every image: one per Nest app (the runtime stage with APP), one per Kafka Streams processor. */
export function imageSpecs(): ImageSpec[] {
  return [
    ...appNames.map((app): ImageSpec => ({
      name: app,
      kind: 'node',
      image: imageName(app),
      buildArgs: { APP: app, HTTP_PORT: String(appPorts[app]) },
      port: appPorts[app],
    })),
    ...streamAppNames.map((app): ImageSpec => ({
      name: app,
      kind: 'streams',
      image: imageName(app),
      target: app,
      buildArgs: {},
      port: streamAppPorts[app],
    })),
  ];
}

/** The specs of the named images, in the order given; every one when none is named. */
export function selectImages(names: string[]): ImageSpec[] {
  const all = imageSpecs();
  if (names.length === 0) return all;
  return names.map((name) => {
    const spec = all.find((candidate) => candidate.name === name);
    if (!spec) throw new Error(`no image "${name}"; the images are ${all.map((image) => image.name).join(', ')}`);
    return spec;
  });
}
