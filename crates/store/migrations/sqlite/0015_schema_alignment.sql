-- PostgreSQL only (training_plans' primary key there); SQLite's schema already had it.
-- Kept so both backends carry the same migration versions.
SELECT 1;
