-- rule: phase-project-by-code
-- target: wt_phase_database.projectId
-- confidence: medium
-- description: Links a phase to the one project whose projectID equals the phase's projectCode;
-- description: relationship mapping is reviewed by a person before it is planned.
SELECT phase.page_id, json_array(project.page_id) AS value
FROM wt_phase_database AS phase
JOIN wt_projects AS project ON project.project_id = phase.project_code AND project.in_trash = 0
WHERE phase.project_id IS NULL AND phase.in_trash = 0
GROUP BY phase.page_id
HAVING count(*) = 1;
