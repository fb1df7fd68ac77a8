-- rule: phase-status-active
-- target: wt_phase_database.status
-- confidence: high
-- description: A phase with no status is its project's current phase, so it is Active
-- description: (the team's convention since WT-8.0).
SELECT page_id, 'Active' AS value
FROM wt_phase_database
WHERE status IS NULL AND in_trash = 0;
