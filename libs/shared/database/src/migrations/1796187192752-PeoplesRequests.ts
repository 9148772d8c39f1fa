import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People's requests by email (libs/requests): the conversation (mail in and out, the outbox), attachments,
 * the mailbox ledger that makes reading exactly-once, contacts and sites' mail domains; tickets gain their
 * requesters and the incident they are linked to, `source` `email` and the timeline's mail events.
 * down() deletes email tickets and mail events (the enums lose those values).
 */
export class PeoplesRequests1796187192752 implements MigrationInterface {
  name = 'PeoplesRequests1796187192752';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(320) NOT NULL, "name" character varying(200), "site_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "contacts_email_key" UNIQUE ("email"), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "contacts_site_idx" ON "contacts"  ("site_id")`);
    await queryRunner.query(
      `CREATE TABLE "site_mail_domains" ("domain" character varying(253) NOT NULL, "site_id" uuid NOT NULL, CONSTRAINT "PK_b3459c235e784a07f48da3447c7" PRIMARY KEY ("domain"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ticket_id" uuid NOT NULL, "direction" character varying(3) NOT NULL, "kind" character varying(20) NOT NULL, "message_id" character varying(998) NOT NULL, "in_reply_to" character varying(998), "references" text array NOT NULL DEFAULT '{}', "from_address" character varying(320) NOT NULL, "from_name" character varying(200), "to_addresses" text array NOT NULL DEFAULT '{}', "subject" character varying(998) NOT NULL, "text" text NOT NULL, "html" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(10) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_error" character varying(500), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "mail_messages_message_id_key" UNIQUE ("message_id"), CONSTRAINT "PK_1bd6e76ef3b3d4aff7d0510a509" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "mail_messages_sender_idx" ON "mail_messages"  ("from_address", "at")`);
    await queryRunner.query(
      `CREATE INDEX "mail_messages_outbox_idx" ON "mail_messages"  ("next_attempt_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX "mail_messages_ticket_idx" ON "mail_messages"  ("ticket_id", "at")`);
    await queryRunner.query(
      `CREATE TABLE "mail_attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "mail_message_id" uuid NOT NULL, "filename" character varying(255) NOT NULL, "content_type" character varying(255) NOT NULL, "size" integer NOT NULL, "kept" boolean NOT NULL, "content" bytea, CONSTRAINT "PK_1b6ac15a94bd06175b552b539e4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "mail_attachments_message_idx" ON "mail_attachments"  ("mail_message_id")`);
    await queryRunner.query(
      `CREATE TABLE "mailbox_receipts" ("mailbox" character varying(200) NOT NULL, "uid_validity" bigint NOT NULL, "uid" bigint NOT NULL, "message_id" character varying(998), "outcome" character varying(12) NOT NULL, "reason" character varying(500), "ticket_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1766f673d8862226041ab05032a" PRIMARY KEY ("mailbox", "uid_validity", "uid"))`,
    );
    await queryRunner.query(`ALTER TABLE "tickets" ADD "requesters" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD "parent_ticket_id" uuid`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_source" ADD VALUE IF NOT EXISTS 'email'`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type" ADD VALUE IF NOT EXISTS 'email_received'`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type" ADD VALUE IF NOT EXISTS 'email_sent'`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type" ADD VALUE IF NOT EXISTS 'linked'`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type" ADD VALUE IF NOT EXISTS 'unlinked'`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type" ADD VALUE IF NOT EXISTS 'learned_late'`);
    await queryRunner.query(
      `CREATE INDEX "tickets_parent_idx" ON "tickets"  ("parent_ticket_id") WHERE parent_ticket_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "contacts_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "site_mail_domains" ADD CONSTRAINT "site_mail_domains_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mail_attachments" ADD CONSTRAINT "mail_attachments_mail_message_id_fkey" FOREIGN KEY ("mail_message_id") REFERENCES "mail_messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_attachments" DROP CONSTRAINT "mail_attachments_mail_message_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "mail_messages" DROP CONSTRAINT "mail_messages_ticket_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "site_mail_domains" DROP CONSTRAINT "site_mail_domains_site_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "contacts" DROP CONSTRAINT "contacts_site_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."tickets_parent_idx"`);
    await queryRunner.query(
      `DELETE FROM "ticket_events" WHERE "type" IN ('email_received', 'email_sent', 'linked', 'unlinked', 'learned_late')`,
    );
    await queryRunner.query(`DELETE FROM "tickets" WHERE "source" = 'email'`);
    await queryRunner.query(
      `CREATE TYPE "public"."ticket_event_type_old" AS ENUM('opened', 'escalated', 'acknowledged', 'started', 'assigned', 'commented', 'notified', 'resolved', 'reopened', 'closed', 'priority_changed', 'diagnosis', 'impact', 'sla_breached', 'flapping', 'suppressed')`,
    );
    await queryRunner.query(
      `ALTER TABLE "ticket_events" ALTER COLUMN "type" TYPE "public"."ticket_event_type_old" USING "type"::"text"::"public"."ticket_event_type_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."ticket_event_type"`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_event_type_old" RENAME TO "ticket_event_type"`);
    await queryRunner.query(`CREATE TYPE "public"."ticket_source_old" AS ENUM('auto', 'manual')`);
    await queryRunner.query(
      `ALTER TABLE "tickets" ALTER COLUMN "source" TYPE "public"."ticket_source_old" USING "source"::"text"::"public"."ticket_source_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."ticket_source"`);
    await queryRunner.query(`ALTER TYPE "public"."ticket_source_old" RENAME TO "ticket_source"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "parent_ticket_id"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "requesters"`);
    await queryRunner.query(`DROP TABLE "mailbox_receipts"`);
    await queryRunner.query(`DROP INDEX "public"."mail_attachments_message_idx"`);
    await queryRunner.query(`DROP TABLE "mail_attachments"`);
    await queryRunner.query(`DROP INDEX "public"."mail_messages_ticket_idx"`);
    await queryRunner.query(`DROP INDEX "public"."mail_messages_outbox_idx"`);
    await queryRunner.query(`DROP INDEX "public"."mail_messages_sender_idx"`);
    await queryRunner.query(`DROP TABLE "mail_messages"`);
    await queryRunner.query(`DROP TABLE "site_mail_domains"`);
    await queryRunner.query(`DROP INDEX "public"."contacts_site_idx"`);
    await queryRunner.query(`DROP TABLE "contacts"`);
  }
}
