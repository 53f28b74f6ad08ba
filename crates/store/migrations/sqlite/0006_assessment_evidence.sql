-- The evidence file of an assessment result (a certificate, a report): PDF, PNG or JPEG,
-- kept in the database so that backups hold it and tenant scoping covers it.
CREATE TABLE assessment_evidence (
    tenant_id BIGINT NOT NULL,
    assessment_id BIGINT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (tenant_id, assessment_id),
    FOREIGN KEY (tenant_id, assessment_id) REFERENCES assessments (tenant_id, id)
);
