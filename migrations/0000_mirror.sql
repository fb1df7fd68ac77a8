CREATE TABLE `changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`page_id` text NOT NULL,
	`data_source_id` text NOT NULL,
	`property_id` text NOT NULL,
	`property_name` text NOT NULL,
	`property_type` text NOT NULL,
	`rule` text NOT NULL,
	`confidence` text NOT NULL,
	`before_json` text,
	`payload_json` text NOT NULL,
	`natural_json` text,
	`after_json` text,
	`status` text NOT NULL,
	`error` text,
	`applied_at` text
);
--> statement-breakpoint
CREATE INDEX `changes_by_run` ON `changes` (`run_id`,`page_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `changes_once_per_run` ON `changes` (`run_id`,`page_id`,`property_id`);--> statement-breakpoint
CREATE TABLE `column_map` (
	`data_source_id` text NOT NULL,
	`column_name` text NOT NULL,
	`property_id` text,
	`property_type` text,
	`sql_type` text NOT NULL,
	`part` text NOT NULL,
	PRIMARY KEY(`data_source_id`, `column_name`)
);
--> statement-breakpoint
CREATE TABLE `data_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`database_id` text NOT NULL,
	`alias` text NOT NULL,
	`title` text NOT NULL,
	`schema_json` text NOT NULL,
	`schema_fingerprint` text NOT NULL,
	`watermark` text,
	`pulled_at` text,
	`full_pulled_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_sources_alias_unique` ON `data_sources` (`alias`);--> statement-breakpoint
CREATE TABLE `pages` (
	`id` text PRIMARY KEY NOT NULL,
	`data_source_id` text NOT NULL,
	`created_time` text NOT NULL,
	`last_edited_time` text NOT NULL,
	`in_trash` integer DEFAULT false NOT NULL,
	`gone` integer DEFAULT false NOT NULL,
	`url` text NOT NULL,
	`values_json` text NOT NULL,
	`raw_json` text NOT NULL,
	`pulled_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pages_by_data_source` ON `pages` (`data_source_id`,`in_trash`);--> statement-breakpoint
CREATE TABLE `properties` (
	`data_source_id` text NOT NULL,
	`property_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`config_json` text NOT NULL,
	`value_key` text NOT NULL,
	PRIMARY KEY(`data_source_id`, `property_id`)
);
--> statement-breakpoint
CREATE TABLE `pulls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`mode` text NOT NULL,
	`requests` integer NOT NULL,
	`pages_written` integer NOT NULL,
	`summary_json` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `relations` (
	`page_id` text NOT NULL,
	`property_id` text NOT NULL,
	`position` integer NOT NULL,
	`target_page_id` text NOT NULL,
	PRIMARY KEY(`page_id`, `property_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `relations_by_target` ON `relations` (`target_page_id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`applied_at` text,
	`reverts_run_id` text,
	`plan_json` text NOT NULL,
	`summary_json` text
);
--> statement-breakpoint
CREATE TABLE `schema_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`data_source_id` text NOT NULL,
	`property_id` text NOT NULL,
	`kind` text NOT NULL,
	`before` text,
	`after` text,
	`detected_at` text NOT NULL
);
