-- Each image belongs to the task (and so the model) it was uploaded for. Rows from before are given the server's
-- default task at start-up, which knows which task that is.
ALTER TABLE images ADD COLUMN task_id VARCHAR(64);
CREATE INDEX images_task ON images (task_id, id);
