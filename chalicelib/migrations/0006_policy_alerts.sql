-- Alerts for saved policies: what changed in a policy (from ingestion, or unconfirmed news),
-- one notification per person who saved it, and the language their mail is written in.

ALTER TABLE users ADD COLUMN IF NOT EXISTS language text NOT NULL DEFAULT 'ko';  -- ko | en

CREATE TABLE policy_changes (
    id           bigserial PRIMARY KEY,
    plcy_no      text NOT NULL REFERENCES youth_policies (plcy_no) ON DELETE CASCADE,
    source       text NOT NULL,                -- ingestion | news (news is unconfirmed)
    changes      jsonb NOT NULL,               -- [{kind, before, after}]
    url          text,                         -- the news article, for source = news
    run_id       bigint,                       -- the ingestion run that saw it
    -- What makes a change the same change when it is seen again: the replaced version (its
    -- hash and update time) plus the new hash for ingestion, the article's URL for news.
    dedupe_key   text NOT NULL,
    detected_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plcy_no, dedupe_key)
);

CREATE TABLE notifications (
    id             bigserial PRIMARY KEY,
    user_sub       text NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    change_id      bigint NOT NULL REFERENCES policy_changes (id) ON DELETE CASCADE,
    read_at        timestamptz,
    -- pending -> sending -> sent; a refused send goes back to pending (retried by the next
    -- run) and after 3 attempts to failed. 'sending' is never retried: at most one mail.
    mail_status    text NOT NULL DEFAULT 'pending',
    mail_attempts  integer NOT NULL DEFAULT 0,
    mailed_at      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_sub, change_id)
);
CREATE INDEX notifications_user_idx ON notifications (user_sub, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_sub) WHERE read_at IS NULL;
CREATE INDEX notifications_mail_idx ON notifications (user_sub) WHERE mail_status = 'pending';
