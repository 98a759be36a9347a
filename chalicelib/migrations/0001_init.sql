-- FinQ's first schema: users and their profiles, youth policies and their documents,
-- bookmarks and document progress, chats and messages, ingestion runs.

CREATE TABLE users (
    sub             text PRIMARY KEY,              -- Cognito subject
    email           text NOT NULL,
    birth_date      date,
    region_code     text,                          -- 5-digit district or 2-digit province
    job_status      text,                          -- Ontong jobCd value
    school_status   text,                          -- Ontong schoolCd value
    marital_status  text,                          -- Ontong mrgSttsCd value
    annual_income   integer,                       -- 만원 per year
    interests       text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Not unique: a deleted and re-created Cognito account gets a new sub with the same email.
CREATE INDEX users_email_idx ON users (lower(email));

CREATE TABLE youth_policies (
    plcy_no                text PRIMARY KEY,
    name                   text NOT NULL,
    keywords               text[] NOT NULL DEFAULT '{}',
    description            text NOT NULL DEFAULT '',
    support_content        text NOT NULL DEFAULT '',
    categories             text[] NOT NULL DEFAULT '{}',   -- lclsfNm split
    subcategories          text[] NOT NULL DEFAULT '{}',   -- mclsfNm split
    min_age                integer,                        -- NULL = no lower limit
    max_age                integer,                        -- NULL = no upper limit
    district_codes         text[] NOT NULL DEFAULT '{}',
    province_codes         text[] NOT NULL DEFAULT '{}',
    province_wide          text[] NOT NULL DEFAULT '{}',   -- provinces covered entirely
    nationwide             boolean NOT NULL DEFAULT false,
    apply_period_code      text,
    apply_status           text NOT NULL DEFAULT 'unknown', -- always | window | closed | unknown
    apply_start            date,
    apply_end              date,
    apply_windows          jsonb NOT NULL DEFAULT '[]',
    apply_method           text NOT NULL DEFAULT '',
    screening_method       text NOT NULL DEFAULT '',
    apply_url              text NOT NULL DEFAULT '',
    reference_url          text NOT NULL DEFAULT '',
    documents_text         text NOT NULL DEFAULT '',
    job_codes              text[] NOT NULL DEFAULT '{}',
    school_codes           text[] NOT NULL DEFAULT '{}',
    marital_code           text,
    major_codes            text[] NOT NULL DEFAULT '{}',
    special_codes          text[] NOT NULL DEFAULT '{}',
    earn_condition_code    text,
    earn_min               integer,
    earn_max               integer,
    earn_etc               text NOT NULL DEFAULT '',
    additional_conditions  text NOT NULL DEFAULT '',
    participant_target     text NOT NULL DEFAULT '',
    institution            text NOT NULL DEFAULT '',
    approved               boolean NOT NULL DEFAULT false,
    status                 text NOT NULL DEFAULT 'active',  -- active | inactive | withdrawn
    raw                    jsonb NOT NULL,
    content_hash           text NOT NULL,               -- hash of the normalized record
    indexed_hash           text,                        -- content_hash last written to Milvus
    last_seen_sync         bigint,                      -- the full sync that last listed it
    source_modified_at     timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX youth_policies_status_idx ON youth_policies (status, apply_status, apply_end);
CREATE INDEX youth_policies_districts_idx ON youth_policies USING gin (district_codes);
CREATE INDEX youth_policies_provinces_idx ON youth_policies USING gin (province_codes);
CREATE INDEX youth_policies_categories_idx ON youth_policies USING gin (categories);

CREATE TABLE required_documents (
    id        bigserial PRIMARY KEY,
    plcy_no   text NOT NULL REFERENCES youth_policies (plcy_no) ON DELETE CASCADE,
    position  integer NOT NULL,
    name      text NOT NULL,
    -- Keyed by name, so a re-ingest keeps ids (and users' progress) of unchanged documents.
    UNIQUE (plcy_no, name)
);

CREATE TABLE user_policies (
    user_sub    text NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    plcy_no     text NOT NULL REFERENCES youth_policies (plcy_no),
    status      text NOT NULL DEFAULT 'saved',  -- saved | preparing | applied | received | rejected
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_sub, plcy_no)
);

CREATE TABLE document_progress (
    user_sub     text NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    document_id  bigint NOT NULL REFERENCES required_documents (id) ON DELETE CASCADE,
    status       text NOT NULL DEFAULT 'todo',  -- todo | ready | submitted
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_sub, document_id)
);

CREATE TABLE chats (
    id          uuid PRIMARY KEY,
    user_sub    text NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    title       text NOT NULL DEFAULT '',
    handoff     jsonb,                          -- set when the user asked for a human
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chats_user_idx ON chats (user_sub, updated_at DESC);

CREATE TABLE messages (
    id             bigserial PRIMARY KEY,
    chat_id        uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    role           text NOT NULL,               -- user | assistant | system
    content        text NOT NULL,
    citations      jsonb NOT NULL DEFAULT '[]',
    model          text,
    input_tokens   integer NOT NULL DEFAULT 0,
    output_tokens  integer NOT NULL DEFAULT 0,
    latency_ms     integer,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_chat_idx ON messages (chat_id, id);

CREATE TABLE ingestion_runs (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL,
    full_sync    boolean NOT NULL DEFAULT false,
    status       text NOT NULL DEFAULT 'running',  -- running | succeeded | failed | partial
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    new_count        integer NOT NULL DEFAULT 0,
    updated_count    integer NOT NULL DEFAULT 0,
    unchanged_count  integer NOT NULL DEFAULT 0,
    withdrawn_count  integer NOT NULL DEFAULT 0,
    rejected_count   integer NOT NULL DEFAULT 0,
    rejections   jsonb NOT NULL DEFAULT '[]',
    timings      jsonb NOT NULL DEFAULT '{}',
    checkpoint   jsonb,
    error        text
);
