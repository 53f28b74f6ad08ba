//! One way every write ends: a [`Change`] is a transaction with its actor; the use case
//! writes through it (it dereferences to the store's connection), records audit entries in
//! it, and [`Change::finish`] commits and then clears the caches that depend on the topics
//! it names — once, in one place (docs/architecture.md, "the change pipeline").
//!
//! ```ignore
//! let mut c = Change::begin(db, actor).await?;
//! let id = store::insert(&mut c, …).await?;
//! c.record("create", "assessment", &id.to_string(), None, Some(&out)).await?;
//! c.finish(&[Topic::Assessments]).await?;
//! ```
//!
//! Dropping a `Change` without finishing rolls the transaction back and clears nothing.

use std::ops::{Deref, DerefMut};

use cakap_store::Conn;
use serde::Serialize;

use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceResult};

pub struct Change<'a> {
    c: Conn,
    db: &'a Db,
    actor: &'a Actor,
}

impl<'a> Change<'a> {
    /// Opens the transaction.
    pub async fn begin(db: &'a Db, actor: &'a Actor) -> ServiceResult<Change<'a>> {
        Ok(Change {
            c: db.begin().await?,
            db,
            actor,
        })
    }

    /// The database this change writes to (for what lives beside it: caches, the mailer).
    pub fn db(&self) -> &'a Db {
        self.db
    }

    /// Records one audit entry in this transaction (who, what, before, after, request id).
    pub async fn record<T: Serialize>(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<&T>,
        after: Option<&T>,
    ) -> ServiceResult<()> {
        crate::audit::record(
            &mut self.c,
            self.actor,
            action,
            entity,
            entity_id,
            before,
            after,
        )
        .await
    }

    /// Commits, then clears the actor's tenant's caches that depend on `changed`; a change
    /// that can alter a JPM also marks the stored standings stale, in the same transaction.
    pub async fn finish(mut self, changed: &[Topic]) -> ServiceResult<()> {
        crate::standings::touch(&mut self.c, self.actor.tenant_id, changed).await?;
        self.c.commit().await?;
        cache::changed(self.db, self.actor.tenant_id, changed);
        crate::standings::changed(self.db, self.actor.tenant_id, changed);
        Ok(())
    }
}

impl Deref for Change<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.c
    }
}

impl DerefMut for Change<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.c
    }
}

/// Clears caches after a change made outside a [`Change`] (the demo loader, which writes a
/// whole regency in transactions of its own).
pub fn changed(db: &Db, tenant: i64, topics: &[Topic]) {
    cache::changed(db, tenant, topics);
    crate::standings::changed(db, tenant, topics);
}
