-- Stored Job-Person Match (docs/architecture.md#standings): each person's JPM of a year as the
-- gap engine computed it (on 31 December, or today for this year), so that equity and the
-- leadership views read 100,000 numbers instead of recomputing them from every assessment.
-- A counter per tenant moves in every change that can alter a JPM (people, units, standards,
-- competencies, assessments); a year's standings are fresh while they were computed at the
-- counter's value and for the day asked.

CREATE TABLE jpm_changes (
    tenant_id BIGINT NOT NULL PRIMARY KEY,
    generation BIGINT NOT NULL
);

CREATE TABLE jpm_states (
    tenant_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    -- the day the standings were computed for (YYYY-MM-DD)
    day TEXT NOT NULL,
    -- jpm_changes.generation when they were computed
    generation BIGINT NOT NULL,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

-- Only people whose position has a standard (those without have no JPM).
CREATE TABLE jpm_standings (
    tenant_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    jpm REAL NOT NULL,
    PRIMARY KEY (tenant_id, year, employee_id)
);
