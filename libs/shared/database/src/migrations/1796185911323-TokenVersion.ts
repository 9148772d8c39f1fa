import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions end when access ends: a per-user token version checked on every request, and disabled accounts. */
export class TokenVersion1796185911323 implements MigrationInterface {
  name = 'TokenVersion1796185911323';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "disabled" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "users" ADD "token_version" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "disabled"`);
  }
}
