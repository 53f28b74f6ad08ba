//! The layout every page shares: who is signed in, the navigation for their role, the
//! language, the CSRF token, the unread count.

use cakap_domain::Role;

use crate::ctx::Ctx;
use crate::i18n::{Lang, Tr};

/// What every page's layout needs.
pub struct Ui {
    pub tr: Tr,
    pub lang: Lang,
    pub csrf: String,
    pub asset: &'static str,
    pub path: String,
    pub user: Option<UiUser>,
    pub nav: Vec<NavItem>,
    /// Whether download links are shown (`admin`, `auditor`, `pimpinan`).
    pub can_export: bool,
    /// Unread notifications (read with the session, no query of its own).
    pub unread: i64,
}

pub struct UiUser {
    pub username: String,
    pub display: String,
    pub role_key: &'static str,
}

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
}

impl Ui {
    pub fn t(&self, key: &str) -> &'static str {
        self.tr.t(key)
    }

    pub fn new(ctx: &Ctx, path: &str) -> Ui {
        let user = ctx.principal.as_ref().map(|p| UiUser {
            username: p.username.clone(),
            display: p
                .employee_name
                .clone()
                .unwrap_or_else(|| p.username.clone()),
            role_key: role_key(&p.role),
        });
        let role = ctx
            .principal
            .as_ref()
            .and_then(|p| p.role.parse::<Role>().ok());
        let mut nav = Vec::new();
        let national = ctx.principal.as_ref().is_some_and(|p| p.national);
        if national {
            // The national super-tenant reads the national view, and nothing of a regency.
            nav.push(NavItem {
                href: "/nasional".into(),
                label: "nav.national",
                active: path.starts_with("/nasional"),
            });
        } else if let Some(role) = role {
            let mut add = |href: String, label: &'static str| {
                let active = if href == "/" {
                    path == "/"
                } else {
                    path.starts_with(&href)
                };
                nav.push(NavItem {
                    href,
                    label,
                    active,
                });
            };
            add("/".into(), "nav.home");
            if matches!(role, Role::Admin | Role::Auditor | Role::Pimpinan) {
                add("/dashboard".into(), "nav.dashboard");
            }
            match (role, ctx.principal.as_ref().and_then(|p| p.nip.clone())) {
                (Role::Asn | Role::Instruktur, Some(nip)) => {
                    add(format!("/employees/{nip}"), "nav.my_profile")
                }
                (Role::Asn | Role::Instruktur, None) => {}
                _ => add("/employees".into(), "nav.employees"),
            }
            add("/units".into(), "nav.units");
            add("/positions".into(), "nav.positions");
            if matches!(role, Role::Admin | Role::Auditor | Role::Pimpinan) {
                add("/competence".into(), "nav.competence");
            }
            add("/learn".into(), "nav.learn");
            add("/poin".into(), "nav.points");
            if ctx.principal.as_ref().is_some_and(|p| p.nip.is_some()) {
                add("/idp".into(), "nav.idp");
            }
            if matches!(role, Role::Admin | Role::Auditor) {
                add("/plans".into(), "nav.plans");
            }
            add("/performance".into(), "nav.performance");
            if matches!(role, Role::Admin | Role::Auditor | Role::Pimpinan) {
                add("/talent".into(), "nav.talent");
                add("/pemerataan".into(), "nav.equity");
                add("/tpp".into(), "nav.tpp");
                add("/penghargaan".into(), "nav.recognition");
                add("/layanan".into(), "nav.service");
            }
            add("/peraturan".into(), "nav.regulations");
            if matches!(role, Role::Admin | Role::Auditor | Role::Pimpinan) {
                add("/kesiapsiagaan".into(), "nav.readiness");
            } else {
                add("/kesiapsiagaan/saya".into(), "nav.readiness");
            }
            add("/competencies".into(), "nav.competencies");
            if role == Role::Admin {
                add("/imports".into(), "nav.imports");
            }
            if matches!(role, Role::Admin | Role::Auditor) {
                add("/audit".into(), "nav.audit");
            }
        }
        Ui {
            tr: Tr(ctx.lang),
            lang: ctx.lang,
            csrf: ctx.csrf().to_string(),
            asset: crate::assets::VERSION.as_str(),
            path: path.to_string(),
            user,
            nav,
            can_export: matches!(role, Some(Role::Admin | Role::Auditor | Role::Pimpinan)),
            unread: ctx.principal.as_ref().map_or(0, |p| p.unread),
        }
    }
}

pub fn role_key(role: &str) -> &'static str {
    match role {
        "admin" => "role.admin",
        "pimpinan" => "role.pimpinan",
        "asn" => "role.asn",
        "instruktur" => "role.instruktur",
        "auditor" => "role.auditor",
        _ => "role.unknown",
    }
}
