-- Training and e-learning (DOMAIN.md §7): the catalogue, offerings (classes), enrolments,
-- e-learning modules and progress, quizzes, other development activities, certificates.

-- The tenant's certificate signing key (Ed25519 secret, hex), made on first use.
ALTER TABLE tenants ADD COLUMN signing_key TEXT;

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    jalur TEXT NOT NULL,
    -- 'klasikal', 'e_learning' or 'blended'
    mode TEXT NOT NULL,
    jp BIGINT NOT NULL CHECK (jp > 0),
    -- rupiah per participant
    cost BIGINT NOT NULL CHECK (cost >= 0),
    pass_mark BIGINT NOT NULL DEFAULT 70,
    -- minutes; NULL: no limit
    time_limit BIGINT,
    max_attempts BIGINT NOT NULL DEFAULT 3,
    -- what a learner sees after submitting: 'score', 'correctness' or 'full'
    review TEXT NOT NULL DEFAULT 'correctness',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- folded words of title, description and module text (see domain::learning::search_text)
    search_text TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE course_competencies (
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    competency_id BIGINT NOT NULL,
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (tenant_id, course_id, competency_id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id)
);

CREATE TABLE course_prerequisites (
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    prerequisite_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, course_id, prerequisite_id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, prerequisite_id) REFERENCES courses (tenant_id, id)
);

CREATE TABLE course_modules (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- the author's Markdown, and the sanitised HTML made from it when saved
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    minutes BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX course_modules_course ON course_modules (tenant_id, course_id, position);

-- Images and PDFs a module links to.
CREATE TABLE course_files (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE offerings (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    kecamatan TEXT,
    place TEXT,
    -- NULL: no limit (self-paced e-learning)
    seats BIGINT,
    instructor_id BIGINT,
    budget_line TEXT,
    self_enrol BOOLEAN NOT NULL DEFAULT TRUE,
    -- 'open' or 'closed'
    status TEXT NOT NULL DEFAULT 'open',
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    FOREIGN KEY (tenant_id, instructor_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX offerings_course ON offerings (tenant_id, course_id);

-- status: 'enrolled', 'waitlisted', 'completed', 'cancelled'
CREATE TABLE enrollments (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    offering_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    enrolled_by TEXT NOT NULL,
    attended BOOLEAN NOT NULL DEFAULT FALSE,
    completed_on TEXT,
    -- JP credited on completion
    jp BIGINT NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, offering_id, employee_id),
    FOREIGN KEY (tenant_id, offering_id) REFERENCES offerings (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX enrollments_employee ON enrollments (tenant_id, employee_id);
CREATE INDEX enrollments_completed ON enrollments (tenant_id, completed_on);

CREATE TABLE module_progress (
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    module_id BIGINT NOT NULL,
    completed_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, employee_id, module_id),
    FOREIGN KEY (tenant_id, module_id) REFERENCES course_modules (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    -- JSON array of option texts
    options TEXT NOT NULL,
    -- JSON of domain::learning::AnswerKey: never sent to a page
    answer_key TEXT NOT NULL,
    points BIGINT NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX questions_course ON questions (tenant_id, course_id);

CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    number BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    -- ms; NULL: no time limit
    deadline_at BIGINT,
    submitted_at BIGINT,
    score BIGINT,
    passed BOOLEAN,
    -- JSON: the question ids in the order shown, each with its option order
    layout TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, course_id, employee_id, number),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);

CREATE TABLE attempt_answers (
    tenant_id BIGINT NOT NULL,
    attempt_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    -- JSON as the learner sent it
    answer TEXT NOT NULL,
    correct BOOLEAN,
    PRIMARY KEY (tenant_id, attempt_id, question_id),
    FOREIGN KEY (tenant_id, attempt_id) REFERENCES quiz_attempts (tenant_id, id)
);

-- Development outside the catalogue: seminars, coaching, mentoring, secondment, …
-- status: 'submitted', 'approved', 'rejected'
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    jalur TEXT NOT NULL,
    title TEXT NOT NULL,
    organizer TEXT,
    started_on TEXT NOT NULL,
    ended_on TEXT NOT NULL,
    hours REAL,
    days BIGINT NOT NULL DEFAULT 0,
    sessions BIGINT NOT NULL DEFAULT 0,
    international BOOLEAN NOT NULL DEFAULT FALSE,
    jp BIGINT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT,
    decision_note TEXT,
    created_at BIGINT NOT NULL,
    evidence_name TEXT,
    evidence_type TEXT,
    evidence BLOB,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX activities_employee ON activities (tenant_id, employee_id);

-- A certificate of completion: the signed text and its Ed25519 signature.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    enrollment_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    signature TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (tenant_id, enrollment_id),
    FOREIGN KEY (tenant_id, enrollment_id) REFERENCES enrollments (tenant_id, id)
);
