-- Public-service quality (docs/domain.md#service-quality): the citizens' survey (SKM) per
-- service unit, the number of service users per unit and period (for the sample size), and
-- complaints with the history of their steps.

-- Only units that serve the public get a survey form and a QR poster.
ALTER TABLE units ADD COLUMN serves_public BOOLEAN NOT NULL DEFAULT FALSE;

-- One answer set of the nine unsur (1–4 each). No personal data: `device` and `origin` are
-- hashes, salted with a secret the server draws at start and never stores, of the unit, the
-- day and the device's cookie (or address) and of the address; they only let the server
-- refuse a second response from a device, and too many from one address, on the same day.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    answered_on TEXT NOT NULL,
    u1 BIGINT NOT NULL,
    u2 BIGINT NOT NULL,
    u3 BIGINT NOT NULL,
    u4 BIGINT NOT NULL,
    u5 BIGINT NOT NULL,
    u6 BIGINT NOT NULL,
    u7 BIGINT NOT NULL,
    u8 BIGINT NOT NULL,
    u9 BIGINT NOT NULL,
    service TEXT,
    gender TEXT,
    age BIGINT,
    education TEXT,
    comment TEXT,
    device TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX survey_responses_unit ON survey_responses (tenant_id, unit_id, answered_on);
CREATE UNIQUE INDEX survey_responses_device ON survey_responses (tenant_id, unit_id, answered_on, device);
CREATE INDEX survey_responses_origin ON survey_responses (tenant_id, unit_id, answered_on, origin);

-- Service users of a unit in a period ('2026' or '2026-S1'), entered by BKPSDM or the unit.
CREATE TABLE service_population (
    tenant_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    users BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, unit_id, period),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);

-- status: 'baru', 'diverifikasi', 'diproses', 'selesai', 'ditolak', 'bukan_wewenang';
-- class: 'aspirasi', 'pengaduan', 'permintaan_informasi'.
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    class TEXT NOT NULL,
    received_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    reporter TEXT,
    reporter_contact TEXT,
    external_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    verified_on TEXT,
    resolved_on TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX complaints_unit ON complaints (tenant_id, unit_id, received_on);
-- A SP4N-LAPOR! ticket is recorded once.
CREATE UNIQUE INDEX complaints_ticket ON complaints (tenant_id, external_id);

-- Every step of a complaint, in order (append-only like the audit log).
CREATE TABLE complaint_steps (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    complaint_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, complaint_id) REFERENCES complaints (tenant_id, id)
);
CREATE INDEX complaint_steps_complaint ON complaint_steps (tenant_id, complaint_id);

-- Status and class held to their enums (crates/domain/src/skm.rs), as migration 0016 does.
CREATE TRIGGER complaints_values_insert BEFORE INSERT ON complaints
WHEN NEW.status NOT IN ('baru', 'diverifikasi', 'diproses', 'selesai', 'ditolak', 'bukan_wewenang') OR NEW.class NOT IN ('aspirasi', 'pengaduan', 'permintaan_informasi')
BEGIN SELECT RAISE(ABORT, 'complaints.status'); END;
CREATE TRIGGER complaints_status_update BEFORE UPDATE OF status ON complaints
WHEN NEW.status NOT IN ('baru', 'diverifikasi', 'diproses', 'selesai', 'ditolak', 'bukan_wewenang')
BEGIN SELECT RAISE(ABORT, 'complaints.status'); END;
