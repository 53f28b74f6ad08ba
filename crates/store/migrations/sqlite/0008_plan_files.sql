-- Evidence files (bukti dukung) of a performance plan: PDF, PNG or JPEG, kept in the database.
CREATE TABLE plan_files (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES performance_plans (tenant_id, id)
);
CREATE INDEX plan_files_plan ON plan_files (tenant_id, plan_id);
