import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationTable1764100000400 implements MigrationInterface {
  name = 'NotificationTable1764100000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        order_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED')),
        message text NOT NULL,
        webhook text NOT NULL CHECK (webhook IN ('NOT_CONFIGURED', 'PENDING', 'DELIVERED', 'FAILED')),
        webhook_attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notification_one_per_outcome UNIQUE (order_id, kind)
      )`);
    await queryRunner.query(
      `CREATE INDEX notification_by_customer ON notification (customer_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX notification_webhook_pending ON notification (created_at) WHERE webhook = 'PENDING'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notification`);
  }
}
