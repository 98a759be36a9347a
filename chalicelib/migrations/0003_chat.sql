-- Advisor chat: LangGraph checkpoints (thread = chat), and the lookups the chat needs.

CREATE TABLE graph_checkpoints (
    thread_id      text NOT NULL,
    checkpoint_ns  text NOT NULL DEFAULT '',
    checkpoint_id  text NOT NULL,
    parent_id      text,
    checkpoint     bytea NOT NULL,   -- serde type || 0x00 || payload
    metadata       bytea NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
);

CREATE TABLE graph_blobs (
    thread_id      text NOT NULL,
    checkpoint_ns  text NOT NULL DEFAULT '',
    channel        text NOT NULL,
    version        text NOT NULL,
    value          bytea,            -- NULL: the channel was emptied
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
);

CREATE TABLE graph_writes (
    thread_id      text NOT NULL,
    checkpoint_ns  text NOT NULL DEFAULT '',
    checkpoint_id  text NOT NULL,
    task_id        text NOT NULL,
    idx            integer NOT NULL,
    channel        text NOT NULL,
    value          bytea NOT NULL,
    task_path      text NOT NULL DEFAULT '',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
);

-- Daily token budget: sum a user's tokens since midnight quickly.
CREATE INDEX messages_created_idx ON messages (chat_id, created_at);

-- Discovery: a policy's keywords matched exactly by the search's keyword boost.
CREATE INDEX youth_policies_keywords_idx ON youth_policies USING gin (keywords);
