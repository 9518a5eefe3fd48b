/**
 * What a cluster would reject or silently mis-run, though every object passes its schema: checks over
 * one rendered overlay. Each returns the problems it finds, as sentences; none is a pass.
 */
import { KubernetesObject, ofKind } from './rendered-manifests';

interface ScaleTarget {
  kind?: string;
  name: string;
}

interface Autoscaler extends KubernetesObject {
  spec: { scaleTargetRef: ScaleTarget };
}

/** The workloads an autoscaler (an HPA, or a KEDA ScaledObject that makes one) owns the replicas of. */
export function autoscaledWorkloads(objects: KubernetesObject[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const autoscaler of [
    ...ofKind<Autoscaler>(objects, 'HorizontalPodAutoscaler'),
    ...ofKind<Autoscaler>(objects, 'ScaledObject'),
  ]) {
    // A ScaledObject's target is a Deployment unless it says otherwise.
    const target = `${autoscaler.spec.scaleTargetRef.kind ?? 'Deployment'}/${autoscaler.spec.scaleTargetRef.name}`;
    owners.set(target, [...(owners.get(target) ?? []), `${autoscaler.kind}/${autoscaler.metadata.name}`]);
  }
  return owners;
}

/**
 * A workload an autoscaler owns must not declare `replicas`: every apply would scale it back to that
 * count (and rebalance its consumer groups) until the autoscaler scales it again. Two autoscalers on
 * one workload fight over it. A target that does not exist never scales.
 */
export function autoscalerConflicts(objects: KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const [target, owners] of autoscaledWorkloads(objects)) {
    const [kind, name] = target.split('/');
    const workload = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (!workload) problems.push(`${owners.join(', ')} scales ${target}, which the overlay does not have`);
    else if ((workload.spec as { replicas?: number }).replicas !== undefined)
      problems.push(`${target} sets replicas, but ${owners.join(', ')} owns them`);
    if (owners.length > 1) problems.push(`${target} has more than one autoscaler: ${owners.join(', ')}`);
  }
  return problems;
}
