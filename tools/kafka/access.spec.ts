import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { aclEntries } from './access';

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
