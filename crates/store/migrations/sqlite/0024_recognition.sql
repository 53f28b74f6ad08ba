-- Recognition and incentives (docs/domain.md#points, #recognition): the regency's points and
-- nomination rules (JSON, one row each), who keeps out of the leaderboards, the badges issued
-- (Open Badges 3.0 credentials as signed JSON, never edited), and the imported list of
-- disciplinary sentences and unpaid leave that bars a Satyalancana.

CREATE TABLE incentive_rules (
    tenant_id BIGINT NOT NULL,
    -- 'points' or 'nomination'
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

CREATE TABLE leaderboard_optouts (
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

CREATE TABLE badges (
    tenant_id BIGINT NOT NULL,
    -- a random UUID v4: the public address /badges/{id}
    id TEXT NOT NULL,
    employee_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    -- 'bronze', 'silver', 'gold'
    level TEXT NOT NULL,
    points BIGINT NOT NULL,
    -- the AchievementCredential with its proof, as signed
    credential TEXT NOT NULL,
    kid TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, employee_id, year, level),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX badges_id ON badges (id);
-- A person's certificates (their points' lines).
CREATE INDEX certificates_employee ON certificates (tenant_id, employee_id);
-- A person's acknowledgements (their points' lines).
CREATE INDEX acknowledgements_employee ON acknowledgements (tenant_id, employee_id, at);

CREATE TABLE discipline_records (
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    -- 'ringan', 'sedang', 'berat', 'cltn'
    kind TEXT NOT NULL,
    start_on TEXT NOT NULL,
    end_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id, kind, start_on),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

CREATE TRIGGER badges_no_update BEFORE UPDATE ON badges
BEGIN SELECT RAISE(ABORT, 'badges are never edited'); END;
