import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersTables1764100000100 implements MigrationInterface {
  name = 'OrdersTables1764100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customer_order (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        status text NOT NULL,
        cancel_reason text,
        total_cents bigint CHECK (total_cents >= 0),
        refunded_cents bigint NOT NULL DEFAULT 0,
        awaiting_release boolean NOT NULL DEFAULT false,
        awaiting_refund boolean NOT NULL DEFAULT false,
        correlation_id text NOT NULL,
        idempotency_key text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX customer_order_idempotency ON customer_order (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX customer_order_page ON customer_order (created_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX customer_order_customer_page ON customer_order (customer_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE order_line (
        order_id uuid NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_cents bigint,
        PRIMARY KEY (order_id, line_no)
      )`);
    await queryRunner.query(`
      CREATE TABLE order_status_change (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
        status text NOT NULL,
        reason text,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX order_status_change_order ON order_status_change (order_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE order_status_change`);
    await queryRunner.query(`DROP TABLE order_line`);
    await queryRunner.query(`DROP TABLE customer_order`);
  }
}
