-- Performance evaluation (PermenPANRB 6/2022) and the talent map (PermenPANRB 3/2020).

-- Tenant settings: how often periodic evaluations run, and the potential-score thresholds.
ALTER TABLE tenants ADD COLUMN period_frequency TEXT NOT NULL DEFAULT 'quarterly';
ALTER TABLE tenants ADD COLUMN potensi_high BIGINT NOT NULL DEFAULT 90;
ALTER TABLE tenants ADD COLUMN potensi_mid BIGINT NOT NULL DEFAULT 78;

CREATE TABLE performance_periods (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    -- 'periodic' (a month or a quarter) or 'annual'
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- 'open' or 'closed'
    status TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, code)
);

-- One SKP per ASN per period; status: draft, submitted, evaluated, final, returned.
CREATE TABLE performance_plans (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    period_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    return_note TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, employee_id, period_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, period_id) REFERENCES performance_periods (tenant_id, id)
);
CREATE INDEX performance_plans_period ON performance_plans (tenant_id, period_id);

-- Expected results with indicator and target; evidence links and the ASN's own notes.
CREATE TABLE plan_results (
    tenant_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    indicator TEXT NOT NULL,
    target TEXT NOT NULL,
    evidence TEXT,
    note TEXT,
    PRIMARY KEY (tenant_id, plan_id, position),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES performance_plans (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE evaluations (
    tenant_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    hasil_kerja TEXT NOT NULL,
    perilaku_kerja TEXT NOT NULL,
    berorientasi_pelayanan TEXT NOT NULL,
    akuntabel TEXT NOT NULL,
    kompeten TEXT NOT NULL,
    harmonis TEXT NOT NULL,
    loyal TEXT NOT NULL,
    adaptif TEXT NOT NULL,
    kolaboratif TEXT NOT NULL,
    predikat TEXT NOT NULL,
    note TEXT,
    evaluator TEXT NOT NULL,
    evaluated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, plan_id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES performance_plans (tenant_id, id)
);

-- Strengths and weaknesses named in an evaluation, each on a competency of the dictionary.
CREATE TABLE evaluation_findings (
    tenant_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    competency_id BIGINT NOT NULL,
    -- 'strength' or 'weakness'
    kind TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (tenant_id, plan_id, competency_id, kind),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES performance_plans (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);
CREATE INDEX evaluation_findings_competency ON evaluation_findings (tenant_id, kind, competency_id);

-- A potential score 0–100 per ASN per year (assessment center or entered).
CREATE TABLE potential_scores (
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    score REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    source TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id, year),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

-- Positions whose succession is planned.
CREATE TABLE key_positions (
    tenant_id BIGINT NOT NULL,
    position_id BIGINT NOT NULL,
    marked_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, position_id),
    FOREIGN KEY (tenant_id, position_id) REFERENCES positions (tenant_id, id)
);
