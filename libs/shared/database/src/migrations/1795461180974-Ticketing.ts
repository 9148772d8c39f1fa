import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ticketing1795461180974 implements MigrationInterface {
  name = 'Ticketing1795461180974';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ticketing_cursor" ("name" character varying(32) NOT NULL, "last_history_id" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_143a32f88aceaf85ed8227762a0" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "escalation_policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(128) NOT NULL, "steps" jsonb NOT NULL, "repeat" boolean NOT NULL DEFAULT false, "max_repeats" integer NOT NULL DEFAULT '3', "is_default" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "escalation_policies_name_key" UNIQUE ("name"), CONSTRAINT "PK_aea3f30839009e0efd350e4cbc7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "escalation_policies_one_default" ON "escalation_policies"  ("is_default") WHERE is_default`,
    );
    await queryRunner.query(
      `CREATE TABLE "maintenance_windows" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(128) NOT NULL, "device_id" uuid, "site_id" uuid, "starts_at" TIMESTAMP WITH TIME ZONE, "ends_at" TIMESTAMP WITH TIME ZONE, "weekly" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c939ec0e19687a7d64b5e357d28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "maintenance_windows_site_idx" ON "maintenance_windows"  ("site_id") `);
    await queryRunner.query(`CREATE INDEX "maintenance_windows_device_idx" ON "maintenance_windows"  ("device_id") `);
    await queryRunner.query(
      `CREATE TABLE "routing_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "position" integer NOT NULL, "site_id" uuid, "tag" character varying(64), "kind" character varying(20), "team" character varying(64) NOT NULL, CONSTRAINT "PK_b744c5cc71053ea4d3fc8a860c2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "routing_rules_position_idx" ON "routing_rules"  ("position") `);
    await queryRunner.query(
      `CREATE TYPE "public"."ticket_status" AS ENUM('open', 'acknowledged', 'in_progress', 'resolved', 'closed')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."ticket_priority" AS ENUM('P1', 'P2', 'P3', 'P4')`);
    await queryRunner.query(`CREATE TYPE "public"."ticket_source" AS ENUM('auto', 'manual')`);
    await queryRunner.query(
      `CREATE TYPE "public"."fault_type" AS ENUM('device_down', 'interface_down', 'device_rebooted', 'high_latency', 'packet_loss', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "tickets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" SERIAL NOT NULL, "title" character varying(200) NOT NULL, "description" text, "status" "public"."ticket_status" NOT NULL DEFAULT 'open', "priority" "public"."ticket_priority" NOT NULL, "source" "public"."ticket_source" NOT NULL, "device_id" uuid, "if_index" integer, "fault_type" "public"."fault_type" NOT NULL, "fault_key" character varying(100), "fault_active" boolean NOT NULL DEFAULT false, "escalation_level" integer NOT NULL DEFAULT '0', "escalation_policy_id" uuid, "next_escalation_at" TIMESTAMP WITH TIME ZONE, "assignee_id" uuid, "team" character varying(64), "recurring" boolean NOT NULL DEFAULT false, "flapping" boolean NOT NULL DEFAULT false, "occurrences" integer NOT NULL DEFAULT '1', "impacted_count" integer NOT NULL DEFAULT '0', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "resolution" text, "escalation_anchor_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sla_ack_due_at" TIMESTAMP WITH TIME ZONE, "sla_resolve_due_at" TIMESTAMP WITH TIME ZONE, "sla_breaches" text array NOT NULL DEFAULT '{}', CONSTRAINT "tickets_number_key" UNIQUE ("number"), CONSTRAINT "PK_343bc942ae261cf7a1377f48fd0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "tickets_next_escalation_idx" ON "tickets"  ("next_escalation_at") WHERE next_escalation_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "tickets_device_idx" ON "tickets"  ("device_id") `);
    await queryRunner.query(`CREATE INDEX "tickets_status_idx" ON "tickets"  ("status") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "tickets_open_fault_key" ON "tickets"  ("fault_key") WHERE status <> 'closed' AND fault_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."ticket_event_type" AS ENUM('opened', 'escalated', 'acknowledged', 'started', 'assigned', 'commented', 'notified', 'resolved', 'reopened', 'closed', 'priority_changed', 'diagnosis', 'impact', 'sla_breached', 'flapping', 'suppressed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "ticket_events" ("id" BIGSERIAL NOT NULL, "ticket_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "type" "public"."ticket_event_type" NOT NULL, "actor" character varying(254) NOT NULL, "message" text NOT NULL, "data" jsonb, CONSTRAINT "PK_d61d07653b492eca67f9bad8ec2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ticket_events_ticket_idx" ON "ticket_events"  ("ticket_id", "id") `);
    await queryRunner.query(`ALTER TABLE "devices" ADD "escalation_policy_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_events" DROP CONSTRAINT "ticket_events_ticket_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "devices" DROP COLUMN "escalation_policy_id"`);
    await queryRunner.query(`DROP INDEX "public"."ticket_events_ticket_idx"`);
    await queryRunner.query(`DROP TABLE "ticket_events"`);
    await queryRunner.query(`DROP TYPE "public"."ticket_event_type"`);
    await queryRunner.query(`DROP INDEX "public"."tickets_open_fault_key"`);
    await queryRunner.query(`DROP INDEX "public"."tickets_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tickets_device_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tickets_next_escalation_idx"`);
    await queryRunner.query(`DROP TABLE "tickets"`);
    await queryRunner.query(`DROP TYPE "public"."fault_type"`);
    await queryRunner.query(`DROP TYPE "public"."ticket_source"`);
    await queryRunner.query(`DROP TYPE "public"."ticket_priority"`);
    await queryRunner.query(`DROP TYPE "public"."ticket_status"`);
    await queryRunner.query(`DROP INDEX "public"."routing_rules_position_idx"`);
    await queryRunner.query(`DROP TABLE "routing_rules"`);
    await queryRunner.query(`DROP INDEX "public"."maintenance_windows_device_idx"`);
    await queryRunner.query(`DROP INDEX "public"."maintenance_windows_site_idx"`);
    await queryRunner.query(`DROP TABLE "maintenance_windows"`);
    await queryRunner.query(`DROP INDEX "public"."escalation_policies_one_default"`);
    await queryRunner.query(`DROP TABLE "escalation_policies"`);
    await queryRunner.query(`DROP TABLE "ticketing_cursor"`);
  }
}
