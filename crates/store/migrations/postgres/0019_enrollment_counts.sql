-- Seats taken and waitlisted per class are counted on every class list (docs/architecture.md):
-- with the status in the index the counts read the index alone.
CREATE INDEX enrollments_offering_status ON enrollments (tenant_id, offering_id, status);
