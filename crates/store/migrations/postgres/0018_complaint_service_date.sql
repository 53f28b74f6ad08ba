-- The date of the service a complaint is about, when the reporter gives it: a complaint may
-- be lodged at most 30 days after the service (Perpres 76/2013; docs/domain.md#service-quality).
ALTER TABLE complaints ADD COLUMN served_on TEXT;
