-- Issue 12, authentication hardening.
--
-- Login failures are held back by (account, address): one account's failures no longer lock
-- other accounts behind the same address, and an attacker elsewhere cannot lock the real
-- user out. `subject` stays for rows written before this migration (they age out in 15 min).
ALTER TABLE login_failures ADD COLUMN account TEXT NOT NULL DEFAULT '';
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_pair ON login_failures (account, address, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Bearer tokens expire (epoch milliseconds, like every time here) and show when they were last
-- used. Tokens made before this get 90 days (7776000000 ms) from their creation, and at least
-- 30 days (2592000000 ms) from now, so outside programs are not cut off by the upgrade itself.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
UPDATE api_tokens SET expires_at = MAX(
    created_at + 7776000000,
    CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 2592000000
);
CREATE INDEX api_tokens_user ON api_tokens (tenant_id, user_id);
