import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users an admin has disabled: kept (their name stays on tickets) but unable to sign in or call the API. */
export class UserDisabled1796185668279 implements MigrationInterface {
  name = 'UserDisabled1796185668279';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "disabled" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "disabled"`);
  }
}
