-- TPP (docs/domain.md#tpp): the regency's rules as immutable versions, each ASN's monthly
-- attendance summary (imported), and the rule version each month was fixed to when its
-- attendance arrived, so a later rule change leaves past months as they were computed.

CREATE TABLE tpp_rules (
    tenant_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    -- domain::tpp::Rules as JSON
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE attendance (
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    -- 'YYYY-MM'
    month TEXT NOT NULL,
    -- late arrivals: 1-30, 31-60, 61-90 minutes, over 90 or no record
    late_1 BIGINT NOT NULL DEFAULT 0 CHECK (late_1 >= 0),
    late_2 BIGINT NOT NULL DEFAULT 0 CHECK (late_2 >= 0),
    late_3 BIGINT NOT NULL DEFAULT 0 CHECK (late_3 >= 0),
    late_4 BIGINT NOT NULL DEFAULT 0 CHECK (late_4 >= 0),
    -- unexcused days (tanpa keterangan)
    absent BIGINT NOT NULL DEFAULT 0 CHECK (absent >= 0),
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id, month),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX attendance_month ON attendance (tenant_id, month);

CREATE TABLE tpp_months (
    tenant_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    rule_version BIGINT NOT NULL,
    fixed_at BIGINT NOT NULL,
    fixed_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, month),
    FOREIGN KEY (tenant_id, rule_version) REFERENCES tpp_rules (tenant_id, version)
);
