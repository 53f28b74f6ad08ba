-- The statuses of records with a life cycle, held to the values of their enums
-- (crates/domain/src/status.rs; docs/architecture.md#statuses). A value written by anything
-- but Cakap is refused at the door instead of failing the pages that read it.
-- crates/store/tests/schema.rs (status_checks_list_the_enum_values) tests that these lists
-- equal the enums.

-- PeriodStatus
ALTER TABLE performance_periods ADD CONSTRAINT performance_periods_status CHECK (status IN ('open', 'closed')) NOT VALID;

-- SkpStatus
ALTER TABLE performance_plans ADD CONSTRAINT performance_plans_status CHECK (status IN ('draft', 'submitted', 'returned', 'evaluated', 'final')) NOT VALID;

-- OfferingStatus
ALTER TABLE offerings ADD CONSTRAINT offerings_status CHECK (status IN ('open', 'closed')) NOT VALID;

-- EnrolmentStatus
ALTER TABLE enrollments ADD CONSTRAINT enrollments_status CHECK (status IN ('enrolled', 'waitlisted', 'completed', 'cancelled')) NOT VALID;

-- ActivityStatus
ALTER TABLE activities ADD CONSTRAINT activities_status CHECK (status IN ('submitted', 'approved', 'rejected')) NOT VALID;

-- IdpStatus
ALTER TABLE idps ADD CONSTRAINT idps_status CHECK (status IN ('draft', 'submitted', 'approved', 'returned')) NOT VALID;

-- PlanStatus
ALTER TABLE training_plans ADD CONSTRAINT training_plans_status CHECK (status IN ('draft', 'approved')) NOT VALID;
