-- Accounts and budgets: tombstones of deleted accounts (their still-valid tokens are refused),
-- and a per-user daily token ledger that turns reserve from before they run.

-- Only the Cognito subject is kept (no email, nothing else of the person): a re-sign-up with
-- the same email gets a new subject and is not affected.
CREATE TABLE deleted_users (
    sub         text PRIMARY KEY,
    deleted_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE token_budgets (
    user_sub        text NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    day             date NOT NULL,                    -- KST day
    used            bigint NOT NULL DEFAULT 0,        -- tokens of settled turns
    reserved        bigint NOT NULL DEFAULT 0,        -- tokens held by turns in flight
    reserved_until  timestamptz NOT NULL DEFAULT now(), -- after this, holds are presumed dead
    PRIMARY KEY (user_sub, day)
);
