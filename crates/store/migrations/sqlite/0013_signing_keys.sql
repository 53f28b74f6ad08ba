-- Certificate signing keys leave the database (SECURITY.md: secrets). The private keys live in
-- the keys directory (`--keys-dir`); the database keeps only the public keys, which /verify
-- checks against and /.well-known/cakap-keys.json publishes. The old private key in
-- tenants.signing_key is moved to the keys directory and the column emptied at start-up
-- (SQL cannot write files); the column stays so that an older key can still be moved.

-- A tenant's public keys. `kid`: the first 8 bytes of the public key's SHA-256, hex.
-- The one key not retired signs new certificates; retired keys still check the ones they signed.
CREATE TABLE signing_keys (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    kid TEXT NOT NULL,
    algorithm TEXT NOT NULL DEFAULT 'Ed25519',
    public_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT,
    PRIMARY KEY (tenant_id, kid)
);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (tenant_id) WHERE retired_at IS NULL;

-- Which key signed a certificate, and its revocation (when, why, by whom).
ALTER TABLE certificates ADD COLUMN kid TEXT;
ALTER TABLE certificates ADD COLUMN revoked_at BIGINT;
ALTER TABLE certificates ADD COLUMN revoked_reason TEXT;
ALTER TABLE certificates ADD COLUMN revoked_by TEXT;
