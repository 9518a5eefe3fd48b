/**
 * The operator releases the prod overlay is written for and checked against, and what they serve, as
 * their release files say (read there, written here by hand):
 * - Strimzi 1.2.0: https://github.com/strimzi/strimzi-kafka-operator/blob/1.2.0/kafka-versions.yaml
 *   (the Kafka versions it runs, with the metadata version of each) and its CRDs in
 *   packaging/install/cluster-operator/ (every kind served as `kafka.strimzi.io/v1` only).
 * - KEDA 2.20.2: https://github.com/kedacore/keda/tree/v2.20.2/config/crd/bases (`keda.sh/v1alpha1`).
 * Raise them together with the overlay, after reading the new release's notes.
 */
export const operatorReleases = {
  strimzi: {
    release: '1.2.0',
    group: 'kafka.strimzi.io',
    servedVersions: ['v1'],
    /** Kafka version → the metadata version Strimzi pairs with it. */
    kafkaVersions: { '4.2.0': '4.2-IV1', '4.2.1': '4.2-IV1', '4.3.0': '4.3-IV0', '4.3.1': '4.3-IV0' },
  },
  keda: { release: '2.20.2', group: 'keda.sh', servedVersions: ['v1alpha1'] },
} as const;
