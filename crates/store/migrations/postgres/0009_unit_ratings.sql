-- The predikat of a unit (organisation) for a period: it sets the curve its people's
-- predikat are checked against (PermenPANRB 6/2022).
CREATE TABLE unit_ratings (
    tenant_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    period_id BIGINT NOT NULL,
    predikat TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, unit_id, period_id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id),
    FOREIGN KEY (tenant_id, period_id) REFERENCES performance_periods (tenant_id, id)
);
