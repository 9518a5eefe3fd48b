import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentsTables1764100000300 implements MigrationInterface {
  name = 'PaymentsTables1764100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customer_account (
        id text PRIMARY KEY,
        name text NOT NULL,
        balance_cents bigint NOT NULL CHECK (balance_cents >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per order that payments has answered; VOIDED is the tombstone a refund leaves when it
    // arrives before the charge (amount 0), so the late charge is declined.
    await queryRunner.query(`
      CREATE TABLE payment (
        order_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
        status text NOT NULL CHECK (status IN ('CHARGED', 'DECLINED', 'REFUNDED', 'VOIDED')),
        decline_reason text,
        refunded_cents bigint NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX payment_customer ON payment (customer_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE payment`);
    await queryRunner.query(`DROP TABLE customer_account`);
  }
}
