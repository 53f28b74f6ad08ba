//! The five roles of docs/domain.md#roles.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// BKPSDM staff: master data, dictionary, imports, reports.
    Admin,
    /// Head of an OPD or a direct supervisor: sees only their unit subtree.
    Pimpinan,
    /// Every civil servant: sees themself.
    Asn,
    /// Trainer and content author.
    Instruktur,
    /// Inspectorate: reads everything, including the audit log; changes nothing.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Pimpinan,
        Role::Asn,
        Role::Instruktur,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Pimpinan => "pimpinan",
            Role::Asn => "asn",
            Role::Instruktur => "instruktur",
            Role::Auditor => "auditor",
        }
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}
