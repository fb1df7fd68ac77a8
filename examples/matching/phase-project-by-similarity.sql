-- rule: phase-project-by-similarity
-- target: wt_phase_database.projectId
-- confidence: low
-- description: Links a phase to the project whose name is most like the phase's own name
--   (0.7 × shared words + 0.3 × edit-distance similarity of the normalised names), when that
--   score is at least 0.5 and no other project scores as well; the score and the project's
--   name are shown beside each proposal, for a person to judge.
WITH candidates AS (
  SELECT phase.page_id AS page_id, project.page_id AS project_page,
         project.project_name AS project_name,
         round(0.7 * token_similarity(phase.phase_name, project.project_name)
               + 0.3 * edit_similarity(phase.phase_name, project.project_name), 3) AS score
  FROM wt_phase_database AS phase
  JOIN wt_projects AS project ON project.in_trash = 0
  WHERE phase.project_id IS NULL AND phase.in_trash = 0
),
ranked AS (
  SELECT *, rank() OVER (PARTITION BY page_id ORDER BY score DESC) AS place,
         count(*) OVER (PARTITION BY page_id, score) AS tied
  FROM candidates
)
SELECT page_id, json_array(project_page) AS value, score,
       'name like project ' || project_name AS evidence
FROM ranked
WHERE place = 1 AND tied = 1 AND score >= 0.5;
