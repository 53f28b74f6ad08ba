-- The national view (docs/national.md): a tenant is either a regional government ('daerah':
-- a province, kabupaten or kota) or the national super-tenant ('nasional', BKN-like), whose
-- users read every government's figures and nothing else. The figures are pre-aggregated
-- per government and year by a job (cakap national refresh, and hourly in the server), so
-- the national view reads ~550 rows instead of scanning 4.7 million ASN per request.

ALTER TABLE tenants ADD COLUMN kind TEXT NOT NULL DEFAULT 'daerah';

CREATE TABLE national_figures (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    year BIGINT NOT NULL,
    -- active ASN
    people BIGINT NOT NULL,
    -- of them with a stored JPM (a position with a standard), and the sum of those JPM
    jpm_people BIGINT NOT NULL,
    jpm_sum DOUBLE PRECISION NOT NULL,
    -- of the active ASN, those with at least 20 JP in the year
    jp20_people BIGINT NOT NULL,
    -- the government's IKM (mean of its units' IKM, 25-100) and how many units have one
    ikm DOUBLE PRECISION,
    ikm_units BIGINT NOT NULL,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year)
);
