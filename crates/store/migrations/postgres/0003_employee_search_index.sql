-- The name index also carries the NIP, so searching and counting by name or NIP read the
-- index only.
DROP INDEX employees_name;
CREATE INDEX employees_name ON employees (tenant_id, name, id, nip);
