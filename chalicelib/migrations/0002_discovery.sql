-- Discovery: deadline reminders sent (once per user, policy and threshold), and indexes for
-- the list's sorts and keyword match.

CREATE TABLE reminders_sent (
    user_sub   text NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    plcy_no    text NOT NULL REFERENCES youth_policies (plcy_no) ON DELETE CASCADE,
    threshold  integer NOT NULL,           -- days before the deadline: 7, 3 or 1
    apply_end  date NOT NULL,              -- the deadline reminded of (a new window reminds anew)
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_sub, plcy_no, threshold, apply_end)
);

CREATE INDEX youth_policies_newest_idx ON youth_policies (status, source_modified_at DESC, plcy_no DESC);
CREATE INDEX youth_policies_deadline_idx ON youth_policies (status, apply_end, plcy_no);
CREATE INDEX youth_policies_name_idx ON youth_policies (lower(name));
