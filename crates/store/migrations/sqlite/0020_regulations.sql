-- Regulation updates (docs/domain.md#regulations): the JDIH register with its files and
-- relations, read-and-acknowledge campaigns, the in-app inbox with its e-mail outbox, and the
-- background jobs that send reminders (docs/architecture.md#jobs).

-- A regulation in the JDIH metadata (Permenkumham 8/2019). `version` moves when its text
-- changes (an amendment recorded against it, or a new file): campaigns then ask again.
CREATE TABLE regulations (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    jenis TEXT NOT NULL,
    nomor TEXT NOT NULL,
    tahun BIGINT NOT NULL,
    judul TEXT NOT NULL,
    teu_badan TEXT NOT NULL,
    tempat_penetapan TEXT,
    tanggal_penetapan TEXT,
    tanggal_pengundangan TEXT,
    tanggal_berlaku TEXT,
    sumber TEXT,
    subjek TEXT,
    bidang_hukum TEXT,
    bahasa TEXT NOT NULL DEFAULT 'Indonesia',
    abstrak TEXT,
    status TEXT NOT NULL DEFAULT 'berlaku',
    version BIGINT NOT NULL DEFAULT 1,
    -- folded words of jenis, nomor, judul, subjek and abstrak (domain::learning::search_text)
    search_text TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX regulations_number ON regulations (tenant_id, jenis, nomor, tahun);
CREATE INDEX regulations_year ON regulations (tenant_id, tahun);

-- The PDF of each version of a regulation (by content: told by its first bytes).
CREATE TABLE regulation_files (
    tenant_id BIGINT NOT NULL,
    regulation_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, regulation_id, version),
    FOREIGN KEY (tenant_id, regulation_id) REFERENCES regulations (tenant_id, id)
);

-- "A mencabut B" (B no longer in force) and "A mengubah B" (B amended), recorded once.
CREATE TABLE regulation_relations (
    tenant_id BIGINT NOT NULL,
    from_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    to_id BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, from_id, kind, to_id),
    FOREIGN KEY (tenant_id, from_id) REFERENCES regulations (tenant_id, id),
    FOREIGN KEY (tenant_id, to_id) REFERENCES regulations (tenant_id, id)
);
CREATE INDEX regulation_relations_to ON regulation_relations (tenant_id, to_id);

-- A read-and-acknowledge campaign: a regulation's current version, an audience (as given,
-- JSON) resolved once into targets, a due date, optionally a course that must be passed.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    regulation_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    course_id BIGINT,
    audience TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, regulation_id) REFERENCES regulations (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id)
);
CREATE INDEX campaigns_regulation ON campaigns (tenant_id, regulation_id);

-- Who a campaign targets, with the unit they worked in when targeted (compliance per unit).
CREATE TABLE campaign_targets (
    tenant_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, campaign_id, employee_id),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX campaign_targets_employee ON campaign_targets (tenant_id, employee_id);

-- When a leader last reminded the people of their scope (a unit path) about a campaign: once a
-- day at most, so the button cannot flood anyone's inbox.
CREATE TABLE campaign_nudges (
    tenant_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    scope TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, campaign_id, scope),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);

-- An acknowledgement of one version: who, when, from where. Never edited (triggers below).
CREATE TABLE acknowledgements (
    tenant_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    at BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    address TEXT NOT NULL,
    PRIMARY KEY (tenant_id, campaign_id, employee_id, version),
    FOREIGN KEY (tenant_id, campaign_id, employee_id) REFERENCES campaign_targets (tenant_id, campaign_id, employee_id)
);

-- The in-app inbox. `email` is the outbox state: NULL (in-app only), 'instant' or 'digest'
-- (waiting for the mailer), 'sending' (claimed by the server `email_owner` until
-- `email_lease`, so two servers never send one twice), 'sent', 'failed'.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    email TEXT,
    email_owner TEXT,
    email_lease BIGINT,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX notifications_user ON notifications (tenant_id, user_id, read_at);
CREATE INDEX notifications_outbox ON notifications (email, id);

-- How a person wants their e-mail: 'instant', 'digest' (once a day) or 'off'.
ALTER TABLE users ADD COLUMN email_mode TEXT NOT NULL DEFAULT 'instant';

-- Work that must happen later, once, whichever server runs it: a server claims a due job by
-- moving it from 'pending' to 'running' with a lease (one UPDATE; the loser changes no row),
-- and a job whose lease ran out (its server died) is claimed again.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    subject BIGINT NOT NULL,
    run_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    lease_until BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    done_at BIGINT,
    UNIQUE (tenant_id, id)
);
CREATE INDEX jobs_due ON jobs (state, run_at);
-- A job is scheduled once for its time: two servers (or a chain and its restart) scheduling
-- the same reminder make one row. A restarted chain deletes its pending row first.
CREATE UNIQUE INDEX jobs_once ON jobs (tenant_id, kind, subject, run_at);

-- Acknowledgements are append-only, like the audit log.
CREATE TRIGGER acknowledgements_no_update BEFORE UPDATE ON acknowledgements
BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;
CREATE TRIGGER acknowledgements_no_delete BEFORE DELETE ON acknowledgements
BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;

-- Held to their lists (crates/domain/src/regulation.rs), as migration 0016 does.
CREATE TRIGGER regulations_status_insert BEFORE INSERT ON regulations
WHEN NEW.status NOT IN ('berlaku', 'tidak_berlaku')
BEGIN SELECT RAISE(ABORT, 'regulations.status'); END;
CREATE TRIGGER regulations_status_update BEFORE UPDATE OF status ON regulations
WHEN NEW.status NOT IN ('berlaku', 'tidak_berlaku')
BEGIN SELECT RAISE(ABORT, 'regulations.status'); END;
