//! Equity (docs/domain.md#equity): for a year and a scope, how JP, training spend and JPM are
//! spread over the groups of civil servants (unit, kecamatan, gender, golongan, age band,
//! status, position kind), the Gini of each, and the groups furthest below the regency.
//! Computed once per change for a (scope, unit, year): every grouping at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::equity::{self, AgeBand, GroupBy};
use cakap_domain::learning::{JP_TARGET, share};
use cakap_domain::{Nip, Role};
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceResult};

/// A group smaller than this is not named among the worst gaps: a share of a handful of
/// people says little and could point at someone (**Decision**).
pub const MIN_GROUP: i64 = 10;
/// How many of the worst gaps are named.
pub const WORST: usize = 5;
/// Points of the Lorenz curves.
const LORENZ_STEPS: usize = 20;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Group {
    /// The group's value: a unit code, a kecamatan code, `L`/`P`, `I`–`IV`/`PPPK`, an age band
    /// (`<30`, `30-39`, `40-49`, `50+`), `PNS`/`PPPK`, a position kind; `-` when unknown.
    pub key: String,
    /// Its name in Indonesian.
    pub label: String,
    pub people: i64,
    /// JP per ASN in the year, one decimal.
    pub jp_avg: f64,
    /// Percent reaching 20 JP, one decimal.
    pub share_20jp: f64,
    /// Job-Person Match average (of those with one), two decimals; null when no one has one.
    pub jpm_avg: Option<f64>,
    /// Rupiah of training per ASN in the year.
    pub spend_per_asn: i64,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Gini {
    pub jp: f64,
    pub spend: f64,
    pub jpm: f64,
}

/// One part of a group named among the worst gaps.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Part {
    #[schema(value_type = String)]
    pub by: GroupBy,
    pub key: String,
    pub label: String,
}

/// A group (one grouping or two crossed) whose share reaching 20 JP is furthest below the
/// whole scope's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Gap {
    pub parts: Vec<Part>,
    pub people: i64,
    pub share_20jp: f64,
    /// The whole scope's share, for the sentence "… 9 % mencapai 20 JP, kabupaten 19 %".
    pub overall: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Equity {
    pub year: i64,
    pub unit: Option<String>,
    /// The whole scope as one group.
    pub all: Group,
    pub gini: Gini,
    /// Rupiah of training in the scope in the year.
    pub spend_total: i64,
    /// Every grouping, in [`GroupBy::ALL`] order.
    pub groupings: Vec<(GroupBy, Vec<Group>)>,
    /// Lorenz curves (share of people, share of the total), poorest first.
    pub lorenz_jp: Vec<(f64, f64)>,
    pub lorenz_spend: Vec<(f64, f64)>,
    pub worst: Vec<Gap>,
    /// When the JPM figures were computed (Unix ms; crate::standings): seconds after a
    /// change to standards or assessments they are refreshed.
    pub jpm_computed_at: i64,
}

impl Equity {
    pub fn groups(&self, by: GroupBy) -> &[Group] {
        self.groupings
            .iter()
            .find(|(b, _)| *b == by)
            .map_or(&[], |(_, g)| g)
    }
}

struct Reports;

impl cache::Spec for Reports {
    type Key = (String, i64);
    type Value = Arc<Equity>;
    // JPM comes from the stored standings: a change to standards or assessments reaches
    // equity when their refresh is written (Topic::Standings), not before.
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Learning,
        Topic::Standings,
    ];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 64;
}

/// Equity in a subtree (`admin`, `auditor`, `pimpinan` over their own unit) for a year.
pub async fn report(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    year: i64,
) -> ServiceResult<Arc<Equity>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let year = crate::validate::year(year)?;
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let scope = crate::units::scope(db, actor, unit).await?;
    let key = (format!("{scope}\u{0}{}", unit.unwrap_or("")), year);
    cache::of::<Reports>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let from = format!("{year}-01-01");
            let to = format!("{year}-12-31");
            let started = std::time::Instant::now();
            // JPM as the gap engine counts it on 31 December of the year (today for this
            // year), as stored (crate::standings); read beside the people of the year.
            let (people, stored) = tokio::try_join!(
                async {
                    let mut c = db.conn().await?;
                    let people =
                        cakap_store::equity::people(&mut c, actor.tenant_id, &scope, &from, &to);
                    Ok::<_, crate::ServiceError>(people.await?)
                },
                crate::standings::read(db, actor.tenant_id, year, &scope),
            )?;
            let jpm: HashMap<&str, f64> = stored.jpm.iter().map(|(n, j)| (n.as_str(), *j)).collect();
            let tree = crate::units::tree(db, actor.tenant_id).await?;
            let input = Input {
                year,
                scope: &scope,
                tree: &tree,
                people: &people,
                jpm: &jpm,
            };
            let read = started.elapsed();
            let equity = compute(&input, unit.map(str::to_string));
            tracing::debug!(tenant = actor.tenant_id, people = people.len(), ?read, total = ?started.elapsed(), "equity");
            Ok(Arc::new(Equity {
                jpm_computed_at: stored.computed_at,
                ..equity
            }))
        })
        .await
}

/// What [`compute`] needs, read once.
pub struct Input<'a> {
    pub year: i64,
    pub scope: &'a str,
    pub tree: &'a [cakap_store::units::UnitRow],
    pub people: &'a [cakap_store::equity::Person],
    /// JPM per NIP, for those who have one.
    pub jpm: &'a HashMap<&'a str, f64>,
}

#[derive(Default)]
struct Acc {
    people: i64,
    jp: i64,
    met: i64,
    jpm: f64,
    jpm_n: i64,
    spend: i64,
}

impl Acc {
    fn add(&mut self, jp: i64, spend: i64, jpm: Option<f64>) {
        self.people += 1;
        self.jp += jp;
        self.met += i64::from(jp >= JP_TARGET);
        self.spend += spend;
        if let Some(j) = jpm {
            self.jpm += j;
            self.jpm_n += 1;
        }
    }

    fn group(&self, key: String, label: String) -> Group {
        let n = self.people.max(1) as f64;
        Group {
            key,
            label,
            people: self.people,
            jp_avg: (self.jp as f64 / n * 10.0).round() / 10.0,
            share_20jp: share(self.met, self.people),
            jpm_avg: (self.jpm_n > 0)
                .then(|| (self.jpm / self.jpm_n as f64 * 100.0).round() / 100.0),
            spend_per_asn: (self.spend as f64 / n).round() as i64,
        }
    }
}

/// Each grouping's values seen so far, numbered in order of appearance: people are counted by
/// number (dense arrays), not by string (100,000 people × 28 groups and pairs).
#[derive(Default)]
struct Values {
    ids: HashMap<String, usize>,
    /// (key, label) by number.
    items: Vec<(String, String)>,
}

impl Values {
    fn id(&mut self, key: &str, label: impl FnOnce() -> String) -> usize {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        self.items.push((key.to_string(), label()));
        self.ids.insert(key.to_string(), self.items.len() - 1);
        self.items.len() - 1
    }
}

/// The number of groupings ([`GroupBy::ALL`]).
const BY: usize = 7;

/// The pure part of [`report`], separate so it can be tested and measured alone.
pub fn compute(input: &Input, unit: Option<String>) -> Equity {
    let kecamatan = crate::units::kecamatan_by_path(input.tree);
    let unit_of: HashMap<&str, (&str, &str)> = input
        .tree
        .iter()
        .map(|u| (u.path.as_str(), (u.code.as_str(), u.name.as_str())))
        .collect();
    let depth = input.scope.matches('/').count().saturating_sub(1);
    let year = i32::try_from(input.year).unwrap_or(2026);

    // Each person's value in every grouping, in GroupBy::ALL order, by number; the unit and
    // kecamatan found once per unit path.
    let mut values: [Values; BY] = Default::default();
    let mut by_path: HashMap<&str, (usize, usize)> = HashMap::new();
    let keys: Vec<[usize; BY]> = input
        .people
        .iter()
        .map(|p| {
            let (u, k) = *by_path.entry(p.unit_path.as_str()).or_insert_with(|| {
                let ids: Vec<&str> = p.unit_path.trim_matches('/').split('/').collect();
                let take = (depth + 1).min(ids.len());
                let top = format!("/{}/", ids[..take].join("/"));
                let (ucode, uname) = unit_of.get(top.as_str()).copied().unwrap_or(("-", "—"));
                let kec = kecamatan.get(p.unit_path.as_str()).copied().flatten();
                let u = values[0].id(ucode, || uname.to_string());
                let k = values[1].id(kec.unwrap_or("-"), || match kec {
                    Some(code) => format!(
                        "Kecamatan {}",
                        cakap_domain::kecamatan::Kecamatan::by_code(code).map_or("—", |k| k.name)
                    ),
                    None => "—".into(),
                });
                (u, k)
            });
            let gender = match p.gender.as_str() {
                "P" => ("P", "Perempuan"),
                "L" => ("L", "Laki-laki"),
                _ => ("-", "—"),
            };
            let golongan = equity::golongan_group(&p.status, p.golongan.as_deref());
            let band = chrono::NaiveDate::parse_from_str(&p.birth_date, "%Y-%m-%d")
                .ok()
                .or_else(|| {
                    Nip::parse(&p.nip, chrono::NaiveDate::MAX)
                        .ok()
                        .map(|n| n.birth_date())
                })
                .map(|b| AgeBand::of(b, year));
            let kind = p.position_kind.as_deref();
            [
                u,
                k,
                values[2].id(gender.0, || gender.1.to_string()),
                values[3].id(golongan.unwrap_or("-"), || match golongan {
                    Some("PPPK") => "PPPK".to_string(),
                    Some(g) => format!("Golongan {g}"),
                    None => "—".into(),
                }),
                values[4].id(band.map_or("-", AgeBand::as_str), || {
                    band.map_or("—", age_label).to_string()
                }),
                values[5].id(&p.status, || format!("ASN {}", p.status)),
                values[6].id(kind.unwrap_or("-"), || {
                    kind.map_or("Tanpa jabatan".into(), kind_label)
                }),
            ]
        })
        .collect();

    // One accumulator per value of each grouping, and per pair of values of two groupings
    // (i < j, row-major over j's values).
    let sizes: Vec<usize> = values.iter().map(|v| v.items.len()).collect();
    let mut all = Acc::default();
    let mut single: Vec<Vec<Acc>> = sizes
        .iter()
        .map(|&n| (0..n).map(|_| Acc::default()).collect())
        .collect();
    let pair_of = |i: usize, j: usize| i * BY + j;
    let mut pairs: Vec<Vec<Acc>> = (0..BY * BY)
        .map(|ij| {
            let (i, j) = (ij / BY, ij % BY);
            let n = if i < j { sizes[i] * sizes[j] } else { 0 };
            (0..n).map(|_| Acc::default()).collect()
        })
        .collect();
    let (mut jp_list, mut spend_list, mut jpm_list) = (Vec::new(), Vec::new(), Vec::new());
    for (p, k) in input.people.iter().zip(&keys) {
        let jpm = input.jpm.get(p.nip.as_str()).copied();
        all.add(p.jp, p.spend, jpm);
        jp_list.push(p.jp as f64);
        spend_list.push(p.spend as f64);
        jpm_list.extend(jpm);
        for i in 0..BY {
            single[i][k[i]].add(p.jp, p.spend, jpm);
            for j in (i + 1)..BY {
                pairs[pair_of(i, j)][k[i] * sizes[j] + k[j]].add(p.jp, p.spend, jpm);
            }
        }
    }
    let overall = share(all.met, all.people);

    let groupings = GroupBy::ALL
        .iter()
        .enumerate()
        .map(|(i, by)| {
            let mut groups: Vec<Group> = single[i]
                .iter()
                .zip(&values[i].items)
                .map(|(acc, (k, label))| acc.group(k.clone(), label.clone()))
                .collect();
            groups.sort_by(|a, b| order(*by, a, b));
            (*by, groups)
        })
        .collect();

    let part = |i: usize, v: usize| Part {
        by: GroupBy::ALL[i],
        key: values[i].items[v].0.clone(),
        label: values[i].items[v].1.clone(),
    };
    let known = |i: usize, v: usize| values[i].items[v].0 != "-";
    let singles = single.iter().enumerate().flat_map(|(i, accs)| {
        accs.iter()
            .enumerate()
            .filter(move |(v, _)| known(i, *v))
            .map(move |(v, acc)| (vec![(i, v)], acc))
    });
    let crossed = pairs.iter().enumerate().flat_map(|(ij, accs)| {
        let (i, j) = (ij / BY, ij % BY);
        let n = sizes[j];
        accs.iter().enumerate().filter_map(move |(cell, acc)| {
            let (a, b) = (cell / n, cell % n);
            (known(i, a) && known(j, b)).then(|| (vec![(i, a), (j, b)], acc))
        })
    });
    let mut worst: Vec<Gap> = singles
        .chain(crossed)
        .filter(|(_, acc)| acc.people >= MIN_GROUP && acc.people < all.people)
        .filter(|(_, acc)| share(acc.met, acc.people) < overall)
        .map(|(parts, acc)| Gap {
            parts: parts.iter().map(|&(i, v)| part(i, v)).collect(),
            people: acc.people,
            share_20jp: share(acc.met, acc.people),
            overall,
        })
        .collect();
    // Furthest below first; of equal shortfalls the larger group, then the simpler name.
    worst.sort_by(|a, b| {
        a.share_20jp
            .total_cmp(&b.share_20jp)
            .then(b.people.cmp(&a.people))
            .then(a.parts.len().cmp(&b.parts.len()))
            .then_with(|| a.parts[0].label.cmp(&b.parts[0].label))
    });
    // A group named once is enough: a crossed group is left out when one of its parts alone
    // is already named with the same people.
    let mut named: Vec<Gap> = Vec::new();
    for g in worst {
        if named.len() == WORST {
            break;
        }
        let repeats = named.iter().any(|n| {
            n.people == g.people
                && g.parts
                    .iter()
                    .any(|p| n.parts.iter().any(|q| q.key == p.key))
        });
        if !repeats {
            named.push(g);
        }
    }

    Equity {
        year: input.year,
        unit,
        all: all.group("*".into(), "Semua".into()),
        spend_total: all.spend,
        gini: Gini {
            jp: equity::gini(&jp_list),
            spend: equity::gini(&spend_list),
            jpm: equity::gini(&jpm_list),
        },
        groupings,
        lorenz_jp: equity::lorenz(&jp_list, LORENZ_STEPS),
        lorenz_spend: equity::lorenz(&spend_list, LORENZ_STEPS),
        worst: named,
        jpm_computed_at: 0,
    }
}

/// Groups in a natural order: kecamatan, golongan, age and kinds by their own order; units by
/// share reaching 20 JP (lowest first); unknowns last.
fn order(by: GroupBy, a: &Group, b: &Group) -> std::cmp::Ordering {
    let unknown = |g: &Group| g.key == "-";
    unknown(a).cmp(&unknown(b)).then_with(|| match by {
        GroupBy::Unit => a
            .share_20jp
            .total_cmp(&b.share_20jp)
            .then(a.label.cmp(&b.label)),
        GroupBy::Golongan => rank(&["I", "II", "III", "IV", "PPPK"], &a.key)
            .cmp(&rank(&["I", "II", "III", "IV", "PPPK"], &b.key)),
        GroupBy::AgeBand => {
            let bands: Vec<&str> = AgeBand::ALL.iter().map(|b| b.as_str()).collect();
            rank(&bands, &a.key).cmp(&rank(&bands, &b.key))
        }
        GroupBy::PositionKind => {
            let kinds: Vec<&str> = cakap_domain::PositionKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect();
            rank(&kinds, &a.key).cmp(&rank(&kinds, &b.key))
        }
        _ => a.key.cmp(&b.key),
    })
}

fn rank(order: &[&str], key: &str) -> usize {
    order.iter().position(|k| *k == key).unwrap_or(order.len())
}

fn age_label(b: AgeBand) -> &'static str {
    match b {
        AgeBand::Under30 => "Di bawah 30 tahun",
        AgeBand::Thirties => "30–39 tahun",
        AgeBand::Forties => "40–49 tahun",
        AgeBand::FiftyPlus => "50 tahun ke atas",
    }
}

fn kind_label(kind: &str) -> String {
    match kind {
        "jpt_utama" => "JPT Utama",
        "jpt_madya" => "JPT Madya",
        "jpt_pratama" => "JPT Pratama",
        "administrator" => "Administrator",
        "pengawas" => "Pengawas",
        "pelaksana" => "Pelaksana",
        "fungsional" => "Fungsional",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cakap_store::equity::Person;
    use cakap_store::units::UnitRow;

    fn unit(id: i64) -> UnitRow {
        UnitRow {
            id,
            code: format!("U{id}"),
            name: format!("Unit {id}"),
            parent_id: None,
            parent_code: None,
            kecamatan: None,
            path: format!("/{id}/"),
            version: 1,
            serves_public: false,
        }
    }

    fn people(n: usize, unit: i64, gender: &str, status: &str, jp: i64) -> Vec<Person> {
        (0..n)
            .map(|i| Person {
                nip: format!("{unit}{gender}{status}{i}"),
                gender: gender.into(),
                birth_date: "1985-06-01".into(),
                status: status.into(),
                golongan: None,
                unit_path: format!("/{unit}/"),
                position_kind: None,
                jp,
                spend: 0,
            })
            .collect()
    }

    /// The worst gaps (docs/domain.md#equity): groups of ≥ 10 below the whole scope, alone or
    /// crossed, a crossed group holding exactly a named group's people left out.
    #[test]
    fn worst_gaps_follow_the_rule() {
        let tree = [unit(1), unit(2)];
        let mut all = people(15, 1, "L", "PNS", 30);
        all.extend(people(5, 1, "P", "PNS", 0)); // below the scope, but only 5
        all.extend(people(10, 2, "L", "PPPK", 0));
        all.extend(people(2, 2, "L", "PNS", 25));
        let jpm = HashMap::new();
        let e = compute(
            &Input {
                year: 2026,
                scope: "",
                tree: &tree,
                people: &all,
                jpm: &jpm,
            },
            None,
        );
        assert_eq!(e.all.people, 32);
        assert_eq!(e.all.share_20jp, 53.1); // 17 of 32
        let jp: Vec<f64> = all.iter().map(|p| p.jp as f64).collect();
        assert_eq!(e.gini.jp, equity::gini(&jp));
        for (by, groups) in &e.groupings {
            assert_eq!(groups.iter().map(|g| g.people).sum::<i64>(), 32, "{by}");
        }
        let named: Vec<(GroupBy, &str, i64, f64)> = e
            .worst
            .iter()
            .map(|g| {
                assert_eq!(g.parts.len(), 1, "crossed groups repeat these: {g:?}");
                (
                    g.parts[0].by,
                    g.parts[0].key.as_str(),
                    g.people,
                    g.share_20jp,
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                (GroupBy::Status, "PPPK", 10, 0.0),
                (GroupBy::Unit, "U2", 12, 16.7)
            ]
        );
        assert!(e.worst.iter().all(|g| g.overall == 53.1));
    }
}
