import { MigrationInterface, QueryRunner } from 'typeorm';

export class InventoryTables1764100000200 implements MigrationInterface {
  name = 'InventoryTables1764100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE product (
        sku text PRIMARY KEY,
        name text NOT NULL,
        price_cents bigint NOT NULL CHECK (price_cents >= 0),
        stock integer NOT NULL CHECK (stock >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per order that inventory has answered: RESERVED, REJECTED, or RELEASED (also a tombstone
    // written by a release that arrived before its reserve). reason/rejected_skus replay a rejection as it was.
    await queryRunner.query(`
      CREATE TABLE stock_reservation (
        order_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('RESERVED', 'RELEASED', 'REJECTED')),
        items jsonb NOT NULL DEFAULT '[]',
        reason text,
        rejected_skus text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stock_reservation`);
    await queryRunner.query(`DROP TABLE product`);
  }
}
