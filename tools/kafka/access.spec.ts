import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { aclEntries, partitionsNotHosted } from './access';

describe('aclEntries', () => {
  it('makes one allow binding per operation, with the resource and pattern types kafkajs sends', () => {
    const entries = aclEntries('User:orderflow-search-rebuild', [
      { resourceType: 'topic', name: 'order.created', patternType: 'literal', operations: ['Read', 'Describe'] },
      { resourceType: 'group', name: 'search-rebuild-', patternType: 'prefixed', operations: ['Delete'] },
    ]);
    expect(entries).toEqual([
      expect.objectContaining({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'order.created',
        resourcePatternType: ResourcePatternTypes.LITERAL,
        operation: AclOperationTypes.READ,
      }),
      expect.objectContaining({ resourceName: 'order.created', operation: AclOperationTypes.DESCRIBE }),
      expect.objectContaining({
        resourceType: AclResourceTypes.GROUP,
        resourceName: 'search-rebuild-',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        operation: AclOperationTypes.DELETE,
      }),
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        principal: 'User:orderflow-search-rebuild',
        host: '*',
        permissionType: AclPermissionTypes.ALLOW,
      });
    }
  });
});

describe('partitionsNotHosted', () => {
  const partition = (partitionId: number, leader: number, isr: number[]) => ({
    partitionId,
    leader,
    replicas: [1, 2, 3],
    isr,
  });

  it('accepts only topics whose every partition has a leader and every replica in sync', () => {
    expect(
      partitionsNotHosted(['order.created'], [{ name: 'order.created', partitions: [partition(0, 1, [1, 2, 3])] }]),
    ).toEqual([]);
  });

  it('names a topic the node does not know yet, a partition without a leader and one with a replica out of sync', () => {
    expect(
      partitionsNotHosted(
        ['order.created', 'order.confirmed'],
        [{ name: 'order.created', partitions: [partition(0, -1, [1, 2, 3]), partition(1, 2, [2, 3])] }],
      ),
    ).toEqual([
      'order.created-0 (leader -1, isr [1,2,3])',
      'order.created-1 (leader 2, isr [2,3])',
      'order.confirmed (unknown)',
    ]);
  });
});
