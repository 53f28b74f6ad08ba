//! The overview on the home page: headcounts in the actor's scope, by sub-unit, golongan and
//! kecamatan.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use cakap_store::{employees, units};

use crate::actor::EmployeeScope;
use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceResult};

/// Overviews per scope (the `0` is "no one employee"), computed once per change.
struct Overviews;

impl cache::Spec for Overviews {
    type Key = (String, i64);
    type Value = Arc<Overview>;
    const TOPICS: &'static [Topic] = &[Topic::People, Topic::Units];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 256;
}

#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub total: i64,
    pub pns: i64,
    pub pppk: i64,
    pub women: i64,
    pub units: usize,
    /// How many units the last `…` row of `by_unit` lumps together.
    pub other_units: usize,
    /// Headcount per unit one level below the scope, largest first.
    pub by_unit: Vec<(String, i64)>,
    /// Headcount per golongan ruang (I–IV) and PPPK.
    pub by_golongan: Vec<(String, i64)>,
    /// Headcount per kecamatan of the unit, in Kemendagri order.
    pub by_kecamatan: Vec<(String, i64)>,
}

pub async fn overview(db: &Db, actor: &Actor) -> ServiceResult<Arc<Overview>> {
    let (scope, only) = match actor.employee_scope() {
        EmployeeScope::Units(s) => (s, 0),
        EmployeeScope::Only(id) => (actor.unit_scope(), id),
    };
    // One person's own overview is cheap, and caching one per ASN would push out the costly
    // ones of whole units.
    if only != 0 {
        return Ok(Arc::new(compute(db, actor.tenant_id, &scope, only).await?));
    }
    let key = (scope.clone(), only);
    cache::of::<Overviews>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            Ok(Arc::new(compute(db, actor.tenant_id, &scope, only).await?))
        })
        .await
}

async fn compute(db: &Db, tenant: i64, scope: &str, only: i64) -> ServiceResult<Overview> {
    let scope = scope.to_string();
    let mut c = db.conn().await?;
    let rows = employees::counts(&mut c, tenant, &scope, only).await?;
    let unit_rows = units::list(&mut c, tenant, &scope).await?;
    let names: HashMap<String, &str> = unit_rows
        .iter()
        .map(|u| (u.id.to_string(), u.name.as_str()))
        .collect();
    let scope_id = scope
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();

    let mut o = Overview {
        units: unit_rows.len(),
        ..Default::default()
    };
    let mut by_unit: HashMap<String, i64> = HashMap::new();
    let mut ruang = [0i64; 5];
    let mut kec: HashMap<String, i64> = HashMap::new();
    for r in &rows {
        o.total += r.n;
        if r.status == "PPPK" {
            o.pppk += r.n
        } else {
            o.pns += r.n
        }
        if r.gender == "P" {
            o.women += r.n;
        }
        let below = r
            .unit_path
            .strip_prefix(scope.as_str())
            .unwrap_or(&r.unit_path);
        let group = below
            .trim_start_matches('/')
            .split('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(&scope_id);
        *by_unit.entry(group.to_string()).or_default() += r.n;
        let idx = match r.golongan.as_deref() {
            Some(g) if g.starts_with("IV/") => 3,
            Some(g) if g.starts_with("III/") => 2,
            Some(g) if g.starts_with("II/") => 1,
            Some(g) if g.starts_with("I/") => 0,
            _ => 4,
        };
        ruang[idx] += r.n;
        if let Some(k) = &r.kecamatan {
            *kec.entry(k.clone()).or_default() += r.n;
        }
    }
    let mut by_unit: Vec<(String, i64)> = by_unit
        .into_iter()
        .map(|(id, n)| (names.get(&id).copied().unwrap_or("—").to_string(), n))
        .collect();
    by_unit.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if by_unit.len() > 12 {
        let rest: i64 = by_unit[11..].iter().map(|r| r.1).sum();
        o.other_units = by_unit.len() - 11;
        by_unit.truncate(11);
        by_unit.push(("…".into(), rest));
    }
    o.by_unit = by_unit;
    o.by_golongan = ["I", "II", "III", "IV", "PPPK"]
        .iter()
        .zip(ruang)
        .map(|(l, n)| (l.to_string(), n))
        .collect();
    o.by_kecamatan = cakap_domain::kecamatan::ACEH_BARAT_DAYA
        .iter()
        .filter_map(|k| kec.get(k.code).map(|n| (k.name.to_string(), *n)))
        .collect();
    Ok(o)
}
