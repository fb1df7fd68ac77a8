CREATE TABLE `run_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`at` text NOT NULL,
	`by` text NOT NULL,
	`kind` text NOT NULL,
	`detail_json` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `run_events_by_run` ON `run_events` (`run_id`);--> statement-breakpoint
ALTER TABLE `plan_inputs` ADD `pushing` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `plan_inputs` ADD `unsettled_pages_json` text;--> statement-breakpoint
ALTER TABLE `review_proposals` ADD `carried_from_run` text;