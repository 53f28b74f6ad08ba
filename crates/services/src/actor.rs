//! Who is acting, and what they may see. Deny by default.

use cakap_domain::Role;
use cakap_store::users::Principal;

use crate::{ServiceError, ServiceResult};

/// The authenticated caller of a use case.
#[derive(Debug, Clone)]
pub struct Actor {
    pub tenant_id: i64,
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// Path of the unit a `pimpinan` heads, or of the unit an `asn` works in.
    pub unit_path: Option<String>,
    pub employee_id: Option<i64>,
    pub nip: Option<String>,
    pub request_id: Option<String>,
    /// The tenant is the national super-tenant: its users read the national view
    /// (docs/national.md), which no regional user sees.
    pub national: bool,
}

/// Which employees an actor may see.
pub enum EmployeeScope {
    /// Everyone in units whose path starts with this ('' = the whole tenant).
    Units(String),
    /// Only this employee (an id that matches nothing when the account has none).
    Only(i64),
}

impl Actor {
    pub fn from_principal(p: &Principal, request_id: Option<String>) -> ServiceResult<Actor> {
        let role: Role = p.role.parse().map_err(|()| ServiceError::Forbidden)?;
        Ok(Actor {
            tenant_id: p.tenant_id,
            user_id: p.user_id,
            username: p.username.clone(),
            role,
            // A pimpinan's scope is the unit on the account; anyone else's is where they work.
            unit_path: p.unit_path.clone().or_else(|| p.employee_unit_path.clone()),
            employee_id: p.employee_id,
            nip: p.nip.clone(),
            request_id,
            national: p.national,
        })
    }

    /// A system actor for the CLI (imports, demo): an admin of `tenant`.
    pub fn system(tenant_id: i64) -> Actor {
        Actor {
            tenant_id,
            user_id: 0,
            username: "system".into(),
            role: Role::Admin,
            unit_path: None,
            employee_id: None,
            nip: None,
            request_id: None,
            national: false,
        }
    }

    /// Master data (units, positions, employees) is changed by BKPSDM only.
    pub fn require_admin(&self) -> ServiceResult<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    pub fn require_any(&self, roles: &[Role]) -> ServiceResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// The unit subtree whose units and positions this actor may read.
    pub fn unit_scope(&self) -> String {
        match self.role {
            Role::Admin | Role::Auditor | Role::Instruktur => String::new(),
            // No unit on the account: a path that matches nothing.
            Role::Pimpinan | Role::Asn => self.unit_path.clone().unwrap_or_else(|| "-".into()),
        }
    }

    pub fn employee_scope(&self) -> EmployeeScope {
        match self.role {
            Role::Admin | Role::Auditor => EmployeeScope::Units(String::new()),
            Role::Pimpinan => {
                EmployeeScope::Units(self.unit_path.clone().unwrap_or_else(|| "-".into()))
            }
            Role::Asn | Role::Instruktur => EmployeeScope::Only(self.employee_id.unwrap_or(-1)),
        }
    }

    pub fn sees_unit_path(&self, path: &str) -> bool {
        path.starts_with(&self.unit_scope())
    }

    /// Whether the record of `employee_id` (NIP `nip`) is the actor's own: by the account's
    /// linked employee or by its NIP.
    pub fn is_self(&self, employee_id: i64, nip: &str) -> bool {
        self.employee_id == Some(employee_id)
            || self
                .nip
                .as_deref()
                .is_some_and(|own| !own.trim().is_empty() && own.trim() == nip.trim())
    }

    /// The one guard of every decision about a person — approving an IDP or a development
    /// activity, rating or finalizing a performance plan, recording attendance: never one's
    /// own (by employee and by NIP), and a `pimpinan` account must be linked to its employee,
    /// or nobody could tell whether the record is theirs. Role and scope are checked beside.
    pub fn may_decide_on(&self, employee_id: i64, nip: &str) -> bool {
        !self.is_self(employee_id, nip) && (self.role != Role::Pimpinan || self.nip.is_some())
    }

    pub fn sees_employee(&self, employee_id: i64, unit_path: &str) -> bool {
        match self.employee_scope() {
            EmployeeScope::Units(scope) => unit_path.starts_with(&scope),
            EmployeeScope::Only(id) => id == employee_id,
        }
    }
}

/// A NIP as typed (`19850101 201001 1 001`) as it is stored and looked up: spaces dropped.
pub fn nip_digits(nip: &str) -> String {
    nip.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The stored row of an employee the actor may see: every use case that takes a NIP starts
/// here. Anything else is "not found", never "forbidden", so ids of other units and tenants
/// reveal nothing.
pub async fn visible_row(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    nip: &str,
) -> ServiceResult<cakap_store::employees::EmployeeRow> {
    cakap_store::employees::by_nip(c, actor.tenant_id, &nip_digits(nip))
        .await?
        .filter(|e| actor.sees_employee(e.id, &e.unit_path))
        .ok_or(ServiceError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, employee_id: Option<i64>, nip: Option<&str>) -> Actor {
        Actor {
            role,
            employee_id,
            nip: nip.map(str::to_string),
            ..Actor::system(1)
        }
    }

    #[test]
    fn nobody_decides_on_their_own_record_by_id_or_by_nip() {
        let nip = "198001012005011001";
        let linked = actor(Role::Pimpinan, Some(7), Some(nip));
        assert!(linked.is_self(7, "199001012015011002"));
        assert!(linked.is_self(8, nip), "same NIP, another row");
        assert!(!linked.may_decide_on(7, "x"));
        assert!(!linked.may_decide_on(8, nip));
        assert!(linked.may_decide_on(8, "199001012015011002"));
    }

    #[test]
    fn an_unlinked_pimpinan_decides_nothing() {
        let unlinked = actor(Role::Pimpinan, None, None);
        assert!(!unlinked.may_decide_on(8, "199001012015011002"));
        // BKPSDM staff without an employee record still can (no own records to decide on).
        assert!(actor(Role::Admin, None, None).may_decide_on(8, "199001012015011002"));
        assert!(!actor(Role::Admin, None, Some("")).is_self(8, ""));
    }
}
