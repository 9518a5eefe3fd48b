import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the message pruner's batches look up by: publication and handling time. */
export class MessagingRetentionIndexes1796200000000 implements MigrationInterface {
  name = 'MessagingRetentionIndexes1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX outbox_message_published_at ON outbox_message (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX inbox_message_handled_at ON inbox_message (handled_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbox_message_handled_at`);
    await queryRunner.query(`DROP INDEX outbox_message_published_at`);
  }
}
