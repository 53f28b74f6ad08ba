-- Found by crates/store/tests/schema.rs: on PostgreSQL training_plans had UNIQUE (tenant_id, id)
-- but no primary key (SQLite's id INTEGER PRIMARY KEY + UNIQUE (tenant_id, id) is the key
-- every other table declares as PRIMARY KEY (tenant_id, id) here).
ALTER TABLE training_plan_assignments DROP CONSTRAINT training_plan_assignments_tenant_id_plan_id_fkey;
ALTER TABLE training_plans DROP CONSTRAINT training_plans_tenant_id_id_key;
ALTER TABLE training_plans ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE training_plan_assignments
    ADD FOREIGN KEY (tenant_id, plan_id) REFERENCES training_plans (tenant_id, id);
