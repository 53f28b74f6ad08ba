-- Guards on learning credit (security review, issue 12).

-- Who created a course: while nobody has enrolled, its creator may still change what it
-- credits (JP, mode, target levels, pass mark); after that only admin may.
ALTER TABLE courses ADD COLUMN created_by BIGINT;

-- Everyone who wrote any part of a course (the course, its modules, files or questions):
-- none of them is ever credited for it.
CREATE TABLE course_authors (
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, course_id, user_id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

-- Existing courses: their creator and authors as the audit log names them.
UPDATE courses SET created_by = (
    SELECT u.id FROM audit_log a
    JOIN users u ON u.tenant_id = a.tenant_id AND u.username = a.actor
    WHERE a.tenant_id = courses.tenant_id AND a.entity = 'course' AND a.action = 'create'
      AND a.entity_id = courses.code
    ORDER BY a.id LIMIT 1);

INSERT INTO course_authors (tenant_id, course_id, user_id)
SELECT a.tenant_id, c.id, u.id FROM audit_log a
    JOIN users u ON u.tenant_id = a.tenant_id AND u.username = a.actor
    JOIN courses c ON c.tenant_id = a.tenant_id AND c.code = a.entity_id
    WHERE a.entity = 'course'
UNION
SELECT a.tenant_id, m.course_id, u.id FROM audit_log a
    JOIN users u ON u.tenant_id = a.tenant_id AND u.username = a.actor
    JOIN course_modules m ON m.tenant_id = a.tenant_id AND CAST(m.id AS TEXT) = a.entity_id
    WHERE a.entity = 'module'
UNION
SELECT a.tenant_id, q.course_id, u.id FROM audit_log a
    JOIN users u ON u.tenant_id = a.tenant_id AND u.username = a.actor
    JOIN questions q ON q.tenant_id = a.tenant_id AND CAST(q.id AS TEXT) = a.entity_id
    WHERE a.entity = 'question'
UNION
SELECT a.tenant_id, f.course_id, u.id FROM audit_log a
    JOIN users u ON u.tenant_id = a.tenant_id AND u.username = a.actor
    JOIN course_files f ON f.tenant_id = a.tenant_id AND CAST(f.id AS TEXT) = a.entity_id
    WHERE a.entity = 'course_file';

-- Upload quotas per person: sizes kept beside the bytes, so a sum never reads the files.
ALTER TABLE activities ADD COLUMN evidence_size BIGINT NOT NULL DEFAULT 0;
UPDATE activities SET evidence_size = LENGTH(evidence) WHERE evidence IS NOT NULL;
CREATE INDEX activities_evidence ON activities (tenant_id, employee_id, evidence_size);

-- Who uploaded a course file (NULL: before this column). No foreign key, as for
-- created_by: SQLite cannot add one to an existing table, and both schemas stay one.
ALTER TABLE course_files ADD COLUMN uploaded_by BIGINT;
UPDATE course_files SET uploaded_by = (
    SELECT u.id FROM audit_log a
    JOIN users u ON u.tenant_id = a.tenant_id AND u.username = a.actor
    WHERE a.tenant_id = course_files.tenant_id AND a.entity = 'course_file'
      AND a.action = 'create' AND a.entity_id = CAST(course_files.id AS TEXT)
    ORDER BY a.id LIMIT 1);
CREATE INDEX course_files_uploader ON course_files (tenant_id, uploaded_by);
