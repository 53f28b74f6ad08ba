-- Position standards (required level per competency) and assessment results.
CREATE TABLE position_requirements (
    tenant_id BIGINT NOT NULL,
    position_id BIGINT NOT NULL,
    competency_id BIGINT NOT NULL,
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (tenant_id, position_id, competency_id),
    FOREIGN KEY (tenant_id, position_id) REFERENCES positions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    competency_id BIGINT NOT NULL,
    competency_version BIGINT NOT NULL,
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    method TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    valid_until TEXT,
    assessor TEXT,
    note TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);
CREATE INDEX assessments_employee ON assessments (tenant_id, employee_id, competency_id);
