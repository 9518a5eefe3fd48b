import { Column, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';

/** A tiny entity + migration for the persistence specs. Property names are camelCase on purpose. */
@Entity()
export class Counter {
  @PrimaryColumn()
  id: string;

  @Column()
  currentValue: number;
}

export class CreateCounter1764160000000 implements MigrationInterface {
  name = 'CreateCounter1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE counter (id text PRIMARY KEY, current_value integer NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE counter');
  }
}

export const counterEntities = [Counter];
export const counterMigrations = [CreateCounter1764160000000];
