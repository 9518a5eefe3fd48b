import { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalyticsTables1764100000700 implements MigrationInterface {
  name = 'AnalyticsTables1764100000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sku_window_sales (
        sku text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        orders integer NOT NULL,
        units bigint NOT NULL,
        revenue_cents bigint NOT NULL,
        PRIMARY KEY (sku, window_start)
      )`);
    await queryRunner.query(`CREATE INDEX sku_window_sales_by_window ON sku_window_sales (window_start)`);
    await queryRunner.query(`
      CREATE TABLE top_skus (
        window_start timestamptz PRIMARY KEY,
        window_end timestamptz NOT NULL,
        skus jsonb NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE customer_totals (
        customer_id text PRIMARY KEY,
        orders integer NOT NULL,
        spent_cents bigint NOT NULL,
        cancellations integer NOT NULL,
        refunded_cents bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE cancellation_counts (
        reason text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (reason, window_start)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cancellation_counts`);
    await queryRunner.query(`DROP TABLE customer_totals`);
    await queryRunner.query(`DROP TABLE top_skus`);
    await queryRunner.query(`DROP TABLE sku_window_sales`);
  }
}
