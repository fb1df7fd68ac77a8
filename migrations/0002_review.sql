CREATE TABLE `plan_inputs` (
	`run_id` text NOT NULL,
	`data_source_id` text NOT NULL,
	`alias` text NOT NULL,
	`pull_id` integer,
	`page_count` integer NOT NULL,
	`max_last_edited_time` text,
	`pages_fingerprint` text NOT NULL,
	PRIMARY KEY(`run_id`, `data_source_id`)
);
--> statement-breakpoint
CREATE TABLE `review_proposals` (
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
	`extra_json` text,
	`note` text,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decided_via` text,
	`change_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_proposals_once_per_run` ON `review_proposals` (`run_id`,`page_id`,`property_id`);