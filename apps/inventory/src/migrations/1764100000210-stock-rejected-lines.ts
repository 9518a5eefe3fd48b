import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lines of a rejection (inventory.rejected version 2), so that a repeated reserve gets the same
 * answer. Nullable and beside rejected_skus, which the instances of the release before still write
 * during a rolling deploy; a row without lines is answered from its skus and items.
 */
export class StockRejectedLines1764100000210 implements MigrationInterface {
  name = 'StockRejectedLines1764100000210';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stock_reservation ADD COLUMN rejected_lines jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stock_reservation DROP COLUMN rejected_lines`);
  }
}
