-- Development plans: individual development plans (IDP) per ASN and year, and training plans
-- (who attends which class under a budget) made by the optimizer.

-- 'draft', 'submitted', 'approved' or 'returned'
CREATE TABLE idps (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    return_reason TEXT,
    decided_by TEXT,
    decided_at BIGINT,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, employee_id, year),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

-- source: 'gap', 'weakness', 'succession', 'plan' (from an approved training plan) or 'own'
CREATE TABLE idp_items (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    idp_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    source TEXT NOT NULL,
    competency_id BIGINT,
    gap BIGINT NOT NULL DEFAULT 0,
    -- a form of DOMAIN.md §7
    jalur TEXT NOT NULL,
    course_id BIGINT,
    offering_id BIGINT,
    title TEXT NOT NULL,
    target_date TEXT NOT NULL,
    jp BIGINT NOT NULL CHECK (jp >= 0),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, idp_id) REFERENCES idps (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    FOREIGN KEY (tenant_id, offering_id) REFERENCES offerings (tenant_id, id)
);
CREATE INDEX idp_items_idp ON idp_items (tenant_id, idp_id);

-- status: 'draft' or 'approved'; the numbers are the optimizer's report.
CREATE TABLE training_plans (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    budget BIGINT NOT NULL,
    policy TEXT NOT NULL,
    max_jp BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    total_cost BIGINT NOT NULL,
    weighted_gap REAL NOT NULL,
    reaching BIGINT NOT NULL,
    bound REAL NOT NULL,
    bound_reaching BIGINT NOT NULL,
    optimality_gap REAL NOT NULL,
    method TEXT NOT NULL,
    solve_ms BIGINT NOT NULL,
    greedy_cost BIGINT NOT NULL,
    greedy_gap REAL NOT NULL,
    greedy_reaching BIGINT NOT NULL,
    people BIGINT NOT NULL,
    -- JSON: unit caps, weights, who is left out and why, the what-if curve
    detail TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    approved_by TEXT,
    approved_at BIGINT,
    UNIQUE (tenant_id, id)
);
CREATE INDEX training_plans_year ON training_plans (tenant_id, year, id);

CREATE TABLE training_plan_assignments (
    tenant_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    offering_id BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    jp BIGINT NOT NULL,
    benefit REAL NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tenant_id, plan_id, employee_id, offering_id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES training_plans (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, offering_id) REFERENCES offerings (tenant_id, id)
);
