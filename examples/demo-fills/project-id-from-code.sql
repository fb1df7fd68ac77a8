-- rule: project-id-from-code
-- target: wt_projects.projectID
-- confidence: medium
-- description: Proposes the project's unique Code as its projectID; project ids carry business
-- description: meaning, so a person reviews these before they are planned.
SELECT page_id, code AS value
FROM wt_projects
WHERE project_id IS NULL AND code IS NOT NULL AND in_trash = 0;
