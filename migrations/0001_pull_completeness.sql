ALTER TABLE `data_sources` ADD `complete_since` text;--> statement-breakpoint
ALTER TABLE `data_sources` ADD `walk_windows` integer;--> statement-breakpoint
ALTER TABLE `data_sources` ADD `walk_capped` integer;