import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditEventTable1764100000500 implements MigrationInterface {
  name = 'AuditEventTable1764100000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_event (
        sequence bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        type text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        message_key text,
        occurred_at timestamptz NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        aggregate_id text NOT NULL,
        aggregate_version integer NOT NULL,
        order_id uuid,
        payload jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_event_once UNIQUE (event_id)
      )`);
    await queryRunner.query(`CREATE INDEX audit_event_by_time ON audit_event (occurred_at, sequence)`);
    await queryRunner.query(
      `CREATE INDEX audit_event_by_order ON audit_event (order_id, occurred_at, sequence) WHERE order_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_event_by_correlation ON audit_event (correlation_id, occurred_at, sequence)`,
    );
    await queryRunner.query(`CREATE INDEX audit_event_by_type ON audit_event (type, occurred_at, sequence)`);
    // Append-only, enforced by the database itself: no update or delete, whoever asks.
    await queryRunner.query(`
      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_event`);
    await queryRunner.query(`DROP FUNCTION audit_event_is_append_only()`);
  }
}
