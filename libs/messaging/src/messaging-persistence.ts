import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { MessagingTables1764100000000 } from './messaging-tables.migration';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { MessagingRetentionIndexes1796200000000 } from './retention/retention-indexes.migration';

/** What every service that owns data adds to its data source for the outbox and inbox. */
export const messagingEntities = [OutboxMessageEntity, InboxMessageEntity];
export const messagingMigrations = [MessagingTables1764100000000, MessagingRetentionIndexes1796200000000];
