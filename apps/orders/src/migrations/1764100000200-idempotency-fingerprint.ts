import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fingerprint of the request that placed an order with an Idempotency-Key, so that the key reused
 * with another request is refused. Orders placed before it have none, and a retry of theirs is answered
 * as before, with the order.
 */
export class IdempotencyFingerprint1764100000200 implements MigrationInterface {
  name = 'IdempotencyFingerprint1764100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customer_order ADD COLUMN idempotency_fingerprint text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customer_order DROP COLUMN idempotency_fingerprint`);
  }
}
