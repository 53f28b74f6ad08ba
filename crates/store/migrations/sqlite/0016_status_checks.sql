-- The statuses of records with a life cycle, held to the values of their enums
-- (crates/domain/src/status.rs; docs/architecture.md#statuses). A value written by anything
-- but Cakap is refused at the door instead of failing the pages that read it.
-- crates/store/tests/schema.rs (status_checks_list_the_enum_values) tests that these lists
-- equal the enums.

-- PeriodStatus
CREATE TRIGGER performance_periods_status_insert BEFORE INSERT ON performance_periods
WHEN NEW.status NOT IN ('open', 'closed')
BEGIN SELECT RAISE(ABORT, 'performance_periods.status'); END;
CREATE TRIGGER performance_periods_status_update BEFORE UPDATE OF status ON performance_periods
WHEN NEW.status NOT IN ('open', 'closed')
BEGIN SELECT RAISE(ABORT, 'performance_periods.status'); END;

-- SkpStatus
CREATE TRIGGER performance_plans_status_insert BEFORE INSERT ON performance_plans
WHEN NEW.status NOT IN ('draft', 'submitted', 'returned', 'evaluated', 'final')
BEGIN SELECT RAISE(ABORT, 'performance_plans.status'); END;
CREATE TRIGGER performance_plans_status_update BEFORE UPDATE OF status ON performance_plans
WHEN NEW.status NOT IN ('draft', 'submitted', 'returned', 'evaluated', 'final')
BEGIN SELECT RAISE(ABORT, 'performance_plans.status'); END;

-- OfferingStatus
CREATE TRIGGER offerings_status_insert BEFORE INSERT ON offerings
WHEN NEW.status NOT IN ('open', 'closed')
BEGIN SELECT RAISE(ABORT, 'offerings.status'); END;
CREATE TRIGGER offerings_status_update BEFORE UPDATE OF status ON offerings
WHEN NEW.status NOT IN ('open', 'closed')
BEGIN SELECT RAISE(ABORT, 'offerings.status'); END;

-- EnrolmentStatus
CREATE TRIGGER enrollments_status_insert BEFORE INSERT ON enrollments
WHEN NEW.status NOT IN ('enrolled', 'waitlisted', 'completed', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'enrollments.status'); END;
CREATE TRIGGER enrollments_status_update BEFORE UPDATE OF status ON enrollments
WHEN NEW.status NOT IN ('enrolled', 'waitlisted', 'completed', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'enrollments.status'); END;

-- ActivityStatus
CREATE TRIGGER activities_status_insert BEFORE INSERT ON activities
WHEN NEW.status NOT IN ('submitted', 'approved', 'rejected')
BEGIN SELECT RAISE(ABORT, 'activities.status'); END;
CREATE TRIGGER activities_status_update BEFORE UPDATE OF status ON activities
WHEN NEW.status NOT IN ('submitted', 'approved', 'rejected')
BEGIN SELECT RAISE(ABORT, 'activities.status'); END;

-- IdpStatus
CREATE TRIGGER idps_status_insert BEFORE INSERT ON idps
WHEN NEW.status NOT IN ('draft', 'submitted', 'approved', 'returned')
BEGIN SELECT RAISE(ABORT, 'idps.status'); END;
CREATE TRIGGER idps_status_update BEFORE UPDATE OF status ON idps
WHEN NEW.status NOT IN ('draft', 'submitted', 'approved', 'returned')
BEGIN SELECT RAISE(ABORT, 'idps.status'); END;

-- PlanStatus
CREATE TRIGGER training_plans_status_insert BEFORE INSERT ON training_plans
WHEN NEW.status NOT IN ('draft', 'approved')
BEGIN SELECT RAISE(ABORT, 'training_plans.status'); END;
CREATE TRIGGER training_plans_status_update BEFORE UPDATE OF status ON training_plans
WHEN NEW.status NOT IN ('draft', 'approved')
BEGIN SELECT RAISE(ABORT, 'training_plans.status'); END;
