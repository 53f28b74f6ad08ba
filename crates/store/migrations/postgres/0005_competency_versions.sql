-- Every earlier version of a dictionary entry, kept when it changes: assessments name the
-- version they were made against.
CREATE TABLE competency_versions (
    tenant_id BIGINT NOT NULL,
    competency_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    crisis BOOLEAN NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    level3 TEXT NOT NULL,
    level4 TEXT NOT NULL,
    level5 TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    replaced_at BIGINT NOT NULL,
    replaced_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, competency_id, version),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);
