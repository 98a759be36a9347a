-- A turn that failed is stored as an assistant message with the error's code, so the chat's
-- history shows that the question got no answer (instead of a user message left hanging).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS error text;

-- Ingestion runs beat while they work, so a run left 'running' by a dead process is told apart
-- from one still busy; such runs are marked 'abandoned' and their source is ingested again.
-- owner = "<host>:<pid>" of the process running it (a local restart checks that pid directly).
ALTER TABLE ingestion_runs ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE ingestion_runs ADD COLUMN IF NOT EXISTS owner text;
CREATE INDEX IF NOT EXISTS ingestion_runs_running_idx ON ingestion_runs (heartbeat_at)
    WHERE status = 'running';
