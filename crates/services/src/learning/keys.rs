//! Certificate signing keys, kept outside the database (docs/operations.md: secrets).
//!
//! The private keys live in a keys directory (`--keys-dir`, `CAKAP_KEYS_DIR`; by default
//! `cakap.keys/` beside the SQLite file): one file per tenant, `tenant-{code}.json`, mode 0600,
//! in a directory of mode 0700. The database holds only public keys (`signing_keys`): the key
//! id (`kid`: the first 8 bytes of the public key's SHA-256, hex), the key, when it was made
//! and when it was retired. The one key not retired signs new certificates; retired keys still
//! check the certificates they signed. `/verify` checks a certificate against the published
//! key its `kid` names, never against a private key, so whoever can write the database cannot
//! quietly re-sign a certificate with the tenant's key.
//!
//! **Limitation.** Whoever can write the database can still insert a public key of their own,
//! sign an invented certificate with it, and `/verify` of this server will accept it. The
//! defence lies outside the database: the keys are published at `/.well-known/cakap-keys.json`
//! and the check page shows the key id and fingerprint, so a verifier that pinned the keys (or
//! compares the fingerprint with one it trusts) sees a key it does not know.
//!
//! Signing happens deep inside learning transactions that carry only a connection, so the
//! private keys [`open`] loads sit in one table for the process, by (tenant code, kid); the
//! database says which kid is current. A key made by `cakap keys rotate` in another process
//! is read from the directory on its first use. Several servers on one database need the same
//! keys directory (shared, or copied after every rotation).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use cakap_store::tenants::{self, TenantRow};
use cakap_store::{Conn, now_ms};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::random_bytes;
use crate::auth::{hex, unhex};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// The only algorithm used so far.
pub const ALGORITHM: &str = "Ed25519";

/// The key id: the first 8 bytes of the public key's SHA-256, hex (16 characters).
pub fn kid_of(public: &VerifyingKey) -> String {
    fingerprint_of(public)[..16].to_string()
}

/// The whole SHA-256 of the public key, hex: what a verifier compares.
pub fn fingerprint_of(public: &VerifyingKey) -> String {
    hex(&Sha256::digest(public.as_bytes()))
}

/// The fingerprint of a public key written in hex; `None` when it is not one.
pub fn fingerprint(public_hex: &str) -> Option<String> {
    public_key(public_hex).map(|k| fingerprint_of(&k))
}

/// An Ed25519 public key from hex.
pub(crate) fn public_key(public_hex: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = unhex(public_hex)?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

fn private_key(secret_hex: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = unhex(secret_hex)?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

/// Where the keys of a database live when no `--keys-dir` is given: `NAME.keys/` beside a
/// SQLite file `NAME.db` (two databases in one folder keep apart), else `cakap.keys/` in the
/// working directory.
pub fn default_dir(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(""))
        .filter(|f| !f.is_empty() && !f.starts_with(':'));
    match file {
        Some(f) => {
            let path = Path::new(f);
            let stem = path
                .file_stem()
                .map_or_else(|| "cakap".into(), |s| s.to_string_lossy().into_owned());
            path.with_file_name(format!("{stem}.keys"))
        }
        None => PathBuf::from("cakap.keys"),
    }
}

// ---------------------------------------------------------------- the directory

/// The checked keys directory.
#[derive(Debug, Clone)]
pub struct KeyDir {
    path: PathBuf,
}

/// One private key as the directory keeps it.
#[derive(Clone)]
struct Key {
    kid: String,
    signing: SigningKey,
    created_at: i64,
}

impl Key {
    fn generate() -> ServiceResult<Key> {
        let secret: [u8; 32] = random_bytes()?;
        Ok(Key::from(SigningKey::from_bytes(&secret), now_ms()))
    }

    fn from(signing: SigningKey, created_at: i64) -> Key {
        Key {
            kid: kid_of(&signing.verifying_key()),
            signing,
            created_at,
        }
    }

    fn public_hex(&self) -> String {
        hex(self.signing.verifying_key().as_bytes())
    }
}

/// The file's shape. No `Debug`: it holds secrets.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    tenant: String,
    algorithm: String,
    /// Oldest first; the last one was made last.
    keys: Vec<StoredKey>,
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    kid: String,
    /// The Ed25519 secret key, hex.
    secret: String,
    created_at: i64,
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("keys directory {}: {e}", path.display()))
}

impl KeyDir {
    /// Opens the directory, creating it (mode 0700) when missing; a directory others may
    /// read is narrowed to 0700.
    pub fn open(path: impl Into<PathBuf>) -> ServiceResult<KeyDir> {
        let path = path.into();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&path).map_err(|e| io_error(&path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(&path).map_err(|e| io_error(&path, e))?;
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "keys directory readable by others: set to 0700");
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| io_error(&path, e))?;
            }
        }
        Ok(KeyDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file of a tenant's keys; codes are Kemendagri codes (`11.12`), nothing that
    /// could leave the directory.
    pub fn file(&self, tenant_code: &str) -> ServiceResult<PathBuf> {
        let safe = !tenant_code.is_empty()
            && tenant_code.len() <= 64
            && !tenant_code.starts_with('.')
            && tenant_code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c));
        if !safe {
            return Err(ServiceError::Internal(format!(
                "tenant code {tenant_code:?} cannot name a key file"
            )));
        }
        Ok(self.path.join(format!("tenant-{tenant_code}.json")))
    }

    /// A tenant's keys, oldest first (none when it has no file yet).
    fn read(&self, tenant_code: &str) -> ServiceResult<Vec<Key>> {
        let path = self.file(tenant_code)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&path, e)),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(&path).map_err(|e| io_error(&path, e))?;
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "key file readable by others: set to 0600");
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| io_error(&path, e))?;
            }
        }
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| io_error(&path, e))?;
        if file.tenant != tenant_code || file.algorithm != ALGORITHM {
            return Err(io_error(
                &path,
                "the file is for another tenant or algorithm",
            ));
        }
        file.keys
            .iter()
            .map(|k| {
                let signing = private_key(&k.secret)
                    .ok_or_else(|| io_error(&path, format!("key {} is unreadable", k.kid)))?;
                let key = Key::from(signing, k.created_at);
                if key.kid != k.kid {
                    return Err(io_error(&path, format!("key {} has another id", k.kid)));
                }
                Ok(key)
            })
            .collect()
    }

    /// Replaces a tenant's file in one step: a temporary file (0600) written and synced,
    /// then renamed over the old one.
    fn write(&self, tenant_code: &str, keys: &[Key]) -> ServiceResult<()> {
        use std::io::Write;
        let path = self.file(tenant_code)?;
        let file = KeyFile {
            tenant: tenant_code.to_string(),
            algorithm: ALGORITHM.into(),
            keys: keys
                .iter()
                .map(|k| StoredKey {
                    kid: k.kid.clone(),
                    secret: hex(&k.signing.to_bytes()),
                    created_at: k.created_at,
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&file)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&tmp).map_err(|e| io_error(&tmp, e))?;
        out.write_all(text.as_bytes())
            .and_then(|()| out.sync_all())
            .map_err(|e| io_error(&tmp, e))?;
        drop(out);
        std::fs::rename(&tmp, &path).map_err(|e| io_error(&path, e))?;
        if let Ok(dir) = std::fs::File::open(&self.path) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Holds the directory against another process changing it (a `rotate` while the server
    /// starts); released when dropped.
    fn lock(&self) -> ServiceResult<std::fs::File> {
        let path = self.path.join(".lock");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(|e| io_error(&path, e))?;
        file.lock().map_err(|e| io_error(&path, e))?;
        Ok(file)
    }
}

// ---------------------------------------------------------------- the keys in this process

struct Loaded {
    dirs: Vec<PathBuf>,
    keys: HashMap<(String, String), SigningKey>,
}

static LOADED: LazyLock<Mutex<Loaded>> = LazyLock::new(|| {
    Mutex::new(Loaded {
        dirs: Vec::new(),
        keys: HashMap::new(),
    })
});

fn remember(dir: &KeyDir, tenant_code: &str, keys: &[Key]) {
    if let Ok(mut loaded) = LOADED.lock() {
        if !loaded.dirs.contains(&dir.path) {
            loaded.dirs.push(dir.path.clone());
        }
        for k in keys {
            loaded
                .keys
                .insert((tenant_code.to_string(), k.kid.clone()), k.signing.clone());
        }
    }
}

/// The private key `kid` of a tenant, from the keys loaded in this process, else read again
/// from the directories they came from (a key rotated by another process).
fn loaded_key(tenant_code: &str, kid: &str) -> Option<SigningKey> {
    let mut loaded = LOADED.lock().ok()?;
    let id = (tenant_code.to_string(), kid.to_string());
    if let Some(k) = loaded.keys.get(&id) {
        return Some(k.clone());
    }
    let dirs = loaded.dirs.clone();
    for path in dirs {
        let dir = KeyDir { path };
        if let Ok(keys) = dir.read(tenant_code) {
            for k in keys {
                loaded
                    .keys
                    .insert((tenant_code.to_string(), k.kid), k.signing);
            }
        }
    }
    loaded.keys.get(&id).cloned()
}

/// The tenant's current signing key and its id, checked against the published public key.
pub(crate) fn signer(
    tenant_code: &str,
    kid: Option<&str>,
    public_hex: Option<&str>,
) -> ServiceResult<(String, SigningKey)> {
    let (Some(kid), Some(public_hex)) = (kid, public_hex) else {
        return Err(ServiceError::Internal(format!(
            "tenant {tenant_code} has no current certificate key: start the server with its keys \
             directory, or run `cakap keys rotate --tenant {tenant_code}`"
        )));
    };
    let key = loaded_key(tenant_code, kid).ok_or_else(|| {
        ServiceError::Internal(format!(
            "the private key {kid} of tenant {tenant_code} is not in the keys directory"
        ))
    })?;
    if hex(key.verifying_key().as_bytes()) != public_hex {
        return Err(ServiceError::Internal(format!(
            "the published public key {kid} of tenant {tenant_code} is not the one in the keys \
             directory"
        )));
    }
    Ok((kid.to_string(), key))
}

// ---------------------------------------------------------------- start-up and rotation

/// Opens the keys directory for `db` at start-up: replaces a private key still in
/// `tenants.signing_key` (before migration 0013; in every backup, so not trusted again) by a
/// fresh key that signs its certificates anew, and empties the column,
/// makes a key for every tenant that has none, publishes the public keys the database lacks,
/// and loads the private keys for signing.
pub async fn open(db: &Db, dir: impl Into<PathBuf>) -> ServiceResult<KeyDir> {
    let keys = KeyDir::open(dir)?;
    let all = {
        let mut c = db.conn().await?;
        tenants::regional(&mut c).await?
    };
    for t in &all {
        prepare(db, &keys, t).await?;
    }
    Ok(keys)
}

async fn prepare(db: &Db, dir: &KeyDir, t: &TenantRow) -> ServiceResult<()> {
    let _lock = dir.lock()?;
    let mut c = db.begin().await?;
    let mut keys = dir.read(&t.code)?;
    let mut changed = false;
    // A private key that sat in the database is in every backup of it: it is not trusted
    // again. Its certificates are signed anew with a fresh key and it is dropped (never
    // written to the directory, never published), so an old backup cannot forge one.
    let legacy = tenants::legacy_signing_key(&mut c, t.id).await?.is_some();
    if legacy || keys.is_empty() {
        keys.push(Key::generate()?);
        changed = true;
    }
    if changed {
        // The file first: a crash before the commit below leaves the key in both places,
        // and the next start finishes the move.
        dir.write(&t.code, &keys)?;
    }
    remember(dir, &t.code, &keys);
    publish(&mut c, t, &keys).await?;
    if legacy && let Some(fresh) = keys.last() {
        let unkeyed = tenants::unkeyed_certificates(&mut c, t.id).await?;
        for (code, payload) in &unkeyed {
            let signature =
                hex(&ed25519_dalek::Signer::sign(&fresh.signing, payload.as_bytes()).to_bytes());
            tenants::resign_certificate(&mut c, t.id, code, &signature, &fresh.kid).await?;
        }
        tenants::clear_legacy_signing_key(&mut c, t.id).await?;
        tracing::info!(tenant = %t.code, kid = %fresh.kid, certificates = unkeyed.len(),
            "certificate key left the database: its certificates are signed anew, the old key dropped");
    }
    c.commit().await?;
    Ok(())
}

/// Publishes the keys of the file that the database lacks; with no current key, the newest
/// becomes current.
async fn publish(c: &mut Conn, t: &TenantRow, keys: &[Key]) -> ServiceResult<()> {
    let published = tenants::signing_keys(c, t.id).await?;
    let current = published.iter().find(|p| p.retired_at.is_none());
    let newest = keys.last().map(|k| k.kid.as_str());
    for k in keys {
        match published.iter().find(|p| p.kid == k.kid) {
            Some(p) if p.public_key != k.public_hex() => {
                tracing::warn!(tenant = %t.code, kid = %k.kid,
                    "the published public key is not the key in the keys directory: certificates \
                     it signs will not verify");
            }
            Some(_) => {}
            None => {
                let make_current = current.is_none() && Some(k.kid.as_str()) == newest;
                let retired = (!make_current).then(now_ms);
                tenants::insert_signing_key(
                    c,
                    t.id,
                    &k.kid,
                    &k.public_hex(),
                    k.created_at,
                    retired,
                )
                .await
                .map_err(|e| match e {
                    cakap_store::StoreError::Duplicate(_) => ServiceError::Internal(format!(
                        "another server published a different current key for tenant {}: \
                             give every server the same keys directory",
                        t.code
                    )),
                    other => other.into(),
                })?;
            }
        }
    }
    match (current, newest) {
        (None, Some(kid)) if published.iter().any(|p| p.kid == kid) => {
            tenants::reinstate_key(c, t.id, kid).await?;
        }
        (Some(cur), _) if !keys.iter().any(|k| k.kid == cur.kid) => {
            tracing::warn!(tenant = %t.code, kid = %cur.kid,
                "the current certificate key is not in the keys directory: no certificate can be \
                 issued until `cakap keys rotate`");
        }
        _ => {}
    }
    Ok(())
}

/// A key made by [`rotate`].
#[derive(Debug, Clone, Serialize)]
pub struct Rotated {
    pub tenant: String,
    pub kid: String,
    /// The key it replaces as current (it still checks what it signed).
    pub previous: Option<String>,
}

/// Makes a new current key for every tenant, or for the one with code `tenant`. The old keys
/// stay published and in the directory: the certificates they signed stay valid.
pub async fn rotate(db: &Db, dir: &KeyDir, tenant: Option<&str>) -> ServiceResult<Vec<Rotated>> {
    let all = {
        let mut c = db.conn().await?;
        tenants::regional(&mut c).await?
    };
    let chosen: Vec<&TenantRow> = all
        .iter()
        .filter(|t| tenant.is_none_or(|code| t.code == code))
        .collect();
    if chosen.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let mut out = Vec::new();
    for t in chosen {
        let _lock = dir.lock()?;
        let mut keys = dir.read(&t.code)?;
        let key = Key::generate()?;
        keys.push(key.clone());
        dir.write(&t.code, &keys)?;
        remember(dir, &t.code, &keys);
        let mut c = db.begin().await?;
        let previous = tenants::signing_keys(&mut c, t.id)
            .await?
            .into_iter()
            .find(|p| p.retired_at.is_none())
            .map(|p| p.kid);
        tenants::retire_current_key(&mut c, t.id).await?;
        tenants::insert_signing_key(
            &mut c,
            t.id,
            &key.kid,
            &key.public_hex(),
            key.created_at,
            None,
        )
        .await?;
        crate::audit::record(
            &mut c,
            &Actor::system(t.id),
            "rotate",
            "signing_key",
            &key.kid,
            Some(&serde_json::json!({ "current": previous })),
            Some(&serde_json::json!({ "current": key.kid, "public_key": key.public_hex() })),
        )
        .await?;
        c.commit().await?;
        out.push(Rotated {
            tenant: t.code.clone(),
            kid: key.kid,
            previous,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- publication

/// `GET /.well-known/cakap-keys.json`: every tenant's public keys, for verifiers to pin.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedKeys {
    pub tenants: Vec<TenantKeys>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TenantKeys {
    /// Kemendagri code of the regency.
    pub code: String,
    pub name: String,
    pub keys: Vec<PublicKey>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicKey {
    /// First 8 bytes of the public key's SHA-256, hex; certificates name the key by it.
    pub kid: String,
    /// `Ed25519`.
    pub algorithm: String,
    /// The 32-byte public key, hex.
    pub public_key: String,
    /// SHA-256 of the public key, hex.
    pub fingerprint: String,
    /// RFC 3339.
    pub created: String,
    /// RFC 3339; set: it signs no more, and still checks what it signed.
    pub retired: Option<String>,
    /// Signs new certificates.
    pub current: bool,
}

pub(crate) fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Every tenant's published keys (public; no login).
pub async fn published(db: &Db) -> ServiceResult<PublishedKeys> {
    let mut c = db.conn().await?;
    let all = tenants::regional(&mut c).await?;
    let keys = tenants::all_signing_keys(&mut c).await?;
    Ok(PublishedKeys {
        tenants: all
            .into_iter()
            .map(|t| TenantKeys {
                keys: keys
                    .iter()
                    .filter(|k| k.tenant_id == t.id)
                    .map(|k| PublicKey {
                        kid: k.kid.clone(),
                        algorithm: k.algorithm.clone(),
                        public_key: k.public_key.clone(),
                        fingerprint: fingerprint(&k.public_key).unwrap_or_default(),
                        created: rfc3339(k.created_at),
                        retired: k.retired_at.map(rfc3339),
                        current: k.retired_at.is_none(),
                    })
                    .collect(),
                code: t.code,
                name: t.name,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_directory_sits_beside_the_sqlite_file() {
        assert_eq!(
            default_dir("sqlite://cakap.db"),
            PathBuf::from("cakap.keys")
        );
        assert_eq!(
            default_dir("sqlite:///var/lib/cakap/data.db?mode=rwc"),
            PathBuf::from("/var/lib/cakap/data.keys")
        );
        assert_eq!(default_dir("sqlite::memory:"), PathBuf::from("cakap.keys"));
        assert_eq!(
            default_dir("postgres://cakap@db/cakap"),
            PathBuf::from("cakap.keys")
        );
    }

    #[test]
    fn kids_are_the_start_of_the_fingerprint() {
        let key = SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        let kid = kid_of(&key);
        assert_eq!(kid.len(), 16);
        assert!(fingerprint_of(&key).starts_with(&kid));
        assert_eq!(
            fingerprint(&hex(key.as_bytes())),
            Some(fingerprint_of(&key))
        );
        assert_eq!(fingerprint("zz"), None);
    }

    #[test]
    fn key_files_never_name_a_path_outside_the_directory() {
        let dir = KeyDir {
            path: PathBuf::from("/nonexistent"),
        };
        assert!(dir.file("11.12").is_ok());
        for bad in ["../x", "..", "", "a/b", ".hidden", "a\\b"] {
            assert!(dir.file(bad).is_err(), "{bad}");
        }
    }
}
