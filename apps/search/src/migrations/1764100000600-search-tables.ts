import { MigrationInterface, QueryRunner } from 'typeorm';

export class SearchTables1764100000600 implements MigrationInterface {
  name = 'SearchTables1764100000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Trusted since PostgreSQL 13: the database owner may create it. The embedded PGlite bundles it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
      CREATE TABLE product_name (
        sku text PRIMARY KEY,
        name text NOT NULL,
        price_cents bigint NOT NULL,
        registered_at timestamptz NOT NULL
      )`);
    // Substring (trigram) matching covers skus and product names only: ids would match short terms by chance.
    // Every column is derived from event fields only (never the clock), so a replay gives the same rows.
    await queryRunner.query(`
      CREATE TABLE order_projection (
        order_id uuid PRIMARY KEY,
        customer_id text,
        status text NOT NULL,
        status_version integer NOT NULL,
        cancel_reason text,
        total_cents bigint,
        lines jsonb NOT NULL DEFAULT '[]',
        skus text[] NOT NULL DEFAULT '{}',
        sku_text text NOT NULL DEFAULT '',
        product_names text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        search_text text GENERATED ALWAYS AS (
          lower(sku_text || ' ' || product_names)
        ) STORED,
        search_document tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english'::regconfig, product_names), 'A') ||
          setweight(to_tsvector('simple'::regconfig, coalesce(customer_id, '') || ' ' || sku_text), 'B')
        ) STORED
      )`);
    await queryRunner.query(`CREATE INDEX order_projection_document ON order_projection USING gin (search_document)`);
    await queryRunner.query(
      `CREATE INDEX order_projection_trigram ON order_projection USING gin (search_text gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX order_projection_skus ON order_projection USING gin (skus)`);
    await queryRunner.query(
      `CREATE INDEX order_projection_newest ON order_projection (created_at DESC, order_id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX order_projection_by_customer ON order_projection (customer_id, created_at DESC, order_id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX order_projection_by_status ON order_projection (status)`);
    await queryRunner.query(
      `CREATE INDEX order_projection_by_total ON order_projection ((coalesce(total_cents, -1)), order_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE order_projection`);
    await queryRunner.query(`DROP TABLE product_name`);
  }
}
