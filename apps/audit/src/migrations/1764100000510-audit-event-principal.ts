import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who asked for each event (its `x-principal` header); null for the events recorded before, and for work nobody asked for. */
export class AuditEventPrincipal1764100000510 implements MigrationInterface {
  name = 'AuditEventPrincipal1764100000510';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_event ADD COLUMN principal text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_event DROP COLUMN principal`);
  }
}
