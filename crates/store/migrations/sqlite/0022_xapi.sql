-- xAPI Learning Record Store (docs/interfaces.md#xapi): the clients that may write to it, the
-- statements received (kept as sent, plus what the LRS set), the agents and activities each
-- statement names (for the query filters), attachments by hash, the documents of the state
-- and profile resources, and the courses an outside activity or Moodle course stands for.

CREATE TABLE xapi_clients (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- the Basic user name: public, random
    key TEXT NOT NULL,
    -- SHA-256 of the secret (256 random bits, shown once)
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, key)
);
CREATE INDEX xapi_clients_key ON xapi_clients (key);

CREATE TABLE xapi_statements (
    -- the order of storing: what `since`, `until`, `ascending` and `more` page on
    seq INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    id TEXT NOT NULL,
    -- the statement as it is returned (with id, stored, authority, version, timestamp)
    statement TEXT NOT NULL,
    verb_id TEXT NOT NULL,
    -- the statement a StatementRef object points to (voiding, and ref-following filters)
    ref_id TEXT,
    registration TEXT,
    voided BOOLEAN NOT NULL DEFAULT FALSE,
    stored_ms BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    -- what Cakap did with a completion (services::xapi::credit::Outcome): 'pending',
    -- 'credited', 'already', 'staff', 'not_completed', 'unknown_actor', 'unmapped', 'failed';
    -- NULL for other statements
    outcome TEXT,
    employee_id BIGINT,
    course_id BIGINT,
    UNIQUE (tenant_id, seq),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES xapi_clients (tenant_id, id)
);
CREATE INDEX xapi_statements_stored ON xapi_statements (tenant_id, stored_ms);
CREATE INDEX xapi_statements_verb ON xapi_statements (tenant_id, verb_id);
CREATE INDEX xapi_statements_ref ON xapi_statements (tenant_id, ref_id);
CREATE INDEX xapi_statements_outcome ON xapi_statements (tenant_id, outcome);

-- Agents named by a statement: `related` false for the actor and an Agent object, true for
-- every other place (related_agents=true).
CREATE TABLE xapi_statement_agents (
    tenant_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    ifi TEXT NOT NULL,
    related BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, seq, ifi, related),
    FOREIGN KEY (tenant_id, seq) REFERENCES xapi_statements (tenant_id, seq)
);
-- covering: a filter by agent reads this index alone
CREATE INDEX xapi_statement_agents_ifi ON xapi_statement_agents (tenant_id, ifi, related, seq);

CREATE TABLE xapi_statement_activities (
    tenant_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    activity_id TEXT NOT NULL,
    related BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, seq, activity_id, related),
    FOREIGN KEY (tenant_id, seq) REFERENCES xapi_statements (tenant_id, seq)
);
CREATE INDEX xapi_statement_activities_id ON xapi_statement_activities (tenant_id, activity_id, related, seq);

CREATE TABLE xapi_attachments (
    tenant_id BIGINT NOT NULL,
    sha2 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (tenant_id, sha2)
);

-- The latest definition of each activity seen (the Activities resource).
CREATE TABLE xapi_activities (
    tenant_id BIGINT NOT NULL,
    id TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- State ('state'), activity profile ('activity') and agent profile ('agent') documents.
-- Keys not used by a kind are ''.
CREATE TABLE xapi_documents (
    tenant_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    agent TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    etag TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, kind, activity_id, agent, registration, doc_id)
);

ALTER TABLE courses ADD COLUMN xapi_activity_id TEXT;
ALTER TABLE courses ADD COLUMN moodle_shortname TEXT;
CREATE UNIQUE INDEX courses_xapi_activity ON courses (tenant_id, xapi_activity_id);
CREATE UNIQUE INDEX courses_moodle_shortname ON courses (tenant_id, moodle_shortname);
