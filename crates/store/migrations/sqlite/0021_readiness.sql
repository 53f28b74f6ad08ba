-- Crisis readiness (docs/domain.md#readiness): the tenant's target table per hazard, who is
-- away, response teams with their call-outs and answers, drills, monthly readiness snapshots
-- and the reminders sent about expiring certifications.

-- What a kecamatan needs for a hazard, in order. `kecamatan` '' = every exposed kecamatan;
-- rows naming a kecamatan replace those defaults for it.
CREATE TABLE readiness_targets (
    tenant_id BIGINT NOT NULL,
    hazard TEXT NOT NULL,
    kecamatan TEXT NOT NULL DEFAULT '',
    seq BIGINT NOT NULL,
    role TEXT NOT NULL,
    competency_id BIGINT NOT NULL,
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    count BIGINT NOT NULL CHECK (count BETWEEN 1 AND 500),
    PRIMARY KEY (tenant_id, hazard, kecamatan, seq),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);

-- Someone away (leave, sick, posted elsewhere) through `until` (inclusive; NULL = until
-- they say otherwise). No row = available.
CREATE TABLE employee_availability (
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    available BOOLEAN NOT NULL,
    until TEXT,
    reason TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

CREATE TABLE response_teams (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    hazard TEXT NOT NULL,
    kecamatan TEXT NOT NULL,
    -- the roles asked for, and what could not be filled (JSON)
    roles TEXT NOT NULL,
    unfilled TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id)
);

CREATE TABLE response_team_members (
    tenant_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    role TEXT NOT NULL,
    competency_id BIGINT NOT NULL,
    level BIGINT NOT NULL,
    distance BIGINT NOT NULL,
    called_at BIGINT,
    answer TEXT CHECK (answer IN ('siap', 'tidak_bisa')),
    eta_minutes BIGINT,
    answered_at BIGINT,
    -- set when someone else took this member's place
    replaced_by BIGINT,
    PRIMARY KEY (tenant_id, team_id, employee_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES response_teams (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

-- A team's call-out: one per team; members added later are called under the same one.
CREATE TABLE callouts (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    called_at BIGINT NOT NULL,
    called_by TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, team_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES response_teams (tenant_id, id)
);

CREATE TABLE drills (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    held_on TEXT NOT NULL,
    hazard TEXT NOT NULL,
    kecamatan TEXT NOT NULL,
    title TEXT NOT NULL,
    evaluator TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE TABLE drill_participants (
    tenant_id BIGINT NOT NULL,
    drill_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, drill_id, employee_id),
    FOREIGN KEY (tenant_id, drill_id) REFERENCES drills (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX drill_participants_employee ON drill_participants (tenant_id, employee_id);
-- The competencies practised; `level` set = a course-authority result was recorded for each
-- participant.
CREATE TABLE drill_competencies (
    tenant_id BIGINT NOT NULL,
    drill_id BIGINT NOT NULL,
    competency_id BIGINT NOT NULL,
    level BIGINT,
    PRIMARY KEY (tenant_id, drill_id, competency_id),
    FOREIGN KEY (tenant_id, drill_id) REFERENCES drills (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);

-- Readiness at the end of each month (the current month is refreshed daily).
CREATE TABLE readiness_snapshots (
    tenant_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    hazard TEXT NOT NULL,
    kecamatan TEXT NOT NULL,
    readiness REAL NOT NULL,
    PRIMARY KEY (tenant_id, month, hazard, kecamatan)
);

-- Expiring certifications reminded once per stage (60 and 14 days before).
CREATE TABLE certification_reminders (
    tenant_id BIGINT NOT NULL,
    assessment_id BIGINT NOT NULL,
    stage BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, assessment_id, stage)
);
CREATE INDEX assessments_expiry ON assessments (tenant_id, valid_until);
CREATE INDEX assessments_competency ON assessments (tenant_id, competency_id);
