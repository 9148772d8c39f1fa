import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who acknowledged a ticket, so boards can say it without reading the timeline. */
export class TicketAcknowledgedBy1795470000000 implements MigrationInterface {
  name = 'TicketAcknowledgedBy1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tickets" ADD "acknowledged_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "acknowledged_by"`);
  }
}
