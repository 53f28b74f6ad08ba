//! TPP in the demo (docs/domain.md#tpp): the regency's rules as version 1 (DOMAIN §14's
//! example cuts), and last month's attendance summary imported through the real importer —
//! most ASN on time, some late in each band, a few days without notice — so `/tpp` opens on a
//! computed month with its cuts explained. Then recognition (docs/domain.md#points,
//! #recognition): a disciplinary and unpaid-leave list imported through the real importer, a
//! few ASN keeping out of the leaderboards, and the badges of this year and last issued from
//! the points the rest of the demo earned.

use cakap_services::{Actor, Db, ServiceResult};

use crate::rng::Rng;

/// Sets the rules and imports last month's attendance; returns the lines imported.
pub async fn load(
    db: &Db,
    tenant: i64,
    seed: u64,
    today: chrono::NaiveDate,
) -> ServiceResult<usize> {
    let actor = Actor::system(tenant);
    cakap_services::tpp::set_rules(db, &actor, &cakap_domain::tpp::Rules::default()).await?;
    let month = today
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(today)
        .format("%Y-%m")
        .to_string();
    let mut c = db.conn().await?;
    let nips = cakap_store::employees::nips(&mut c, tenant).await?;
    drop(c);
    let mut rng = Rng::new(seed ^ 0x7199_0000);
    let mut csv = String::from(
        "NIP,Bulan,Terlambat 1-30,Terlambat 31-60,Terlambat 61-90,Terlambat >90,Tanpa Keterangan\n",
    );
    let mut lines = 0;
    for n in &nips {
        // Two in three on time all month; the rest late now and then, a few absent.
        let roll = rng.below(100);
        let (l1, l2, l3, l4, absent) = match roll {
            0..66 => (0, 0, 0, 0, 0),
            66..86 => (1 + rng.below(4), 0, 0, 0, 0),
            86..94 => (rng.below(4), 1 + rng.below(2), rng.below(2), 0, 0),
            94..98 => (
                rng.below(3),
                rng.below(2),
                1,
                1 + rng.below(2),
                rng.below(2),
            ),
            _ => (rng.below(2), 0, 0, rng.below(3), 1 + rng.below(3)),
        };
        csv.push_str(&format!("{},{month},{l1},{l2},{l3},{l4},{absent}\n", n.nip));
        lines += 1;
    }
    cakap_services::imports::run(db, &actor, "attendance", csv.as_bytes(), false, &|_, _| {})
        .await?;
    Ok(lines)
}

/// Imports the disciplinary/CLTN list, keeps a few ASN out of the leaderboards and issues the
/// badges of this year and last; returns (list lines, badges issued).
pub async fn recognition(
    db: &Db,
    tenant: i64,
    seed: u64,
    today: chrono::NaiveDate,
) -> ServiceResult<(usize, usize)> {
    let actor = Actor::system(tenant);
    let mut c = db.conn().await?;
    let nips = cakap_store::employees::nips(&mut c, tenant).await?;
    drop(c);
    let mut rng = Rng::new(seed ^ 0x5a71_0000);
    let mut csv = String::from("NIP,Jenis,TMT,Sampai,Keterangan\n");
    let mut lines = 0;
    let year = chrono::Datelike::year(&today);
    for n in &nips {
        // About one in a hundred on the list, most with a light sentence.
        let (kind, note) = match rng.below(1000) {
            0..5 => ("Hukuman disiplin ringan", "Teguran tertulis"),
            5..8 => ("Hukuman disiplin sedang", "Penundaan kenaikan pangkat"),
            8..9 => ("Hukuman disiplin berat", "Penurunan jabatan"),
            9..11 => ("CLTN", "Mendampingi suami tugas belajar"),
            _ => continue,
        };
        let start = format!(
            "{}-{:02}-01",
            year - 1 - rng.below(6) as i32,
            1 + rng.below(12)
        );
        csv.push_str(&format!("{},{kind},{start},,{note}\n", n.nip));
        lines += 1;
    }
    cakap_services::imports::run(db, &actor, "discipline", csv.as_bytes(), false, &|_, _| {})
        .await?;
    // A few keep out of the leaderboards.
    for n in nips.iter().filter(|_| rng.below(100) < 3) {
        let me = Actor {
            employee_id: Some(n.id),
            nip: Some(n.nip.clone()),
            ..Actor::system(tenant)
        };
        cakap_services::points::set_optout(db, &me, true).await?;
    }
    let this = i64::from(year);
    let mut badges = 0;
    for y in [this - 1, this] {
        cakap_services::points::board(db, tenant, y).await?;
        let mut c = db.conn().await?;
        badges += cakap_store::recognition::issued(&mut c, tenant, y)
            .await?
            .len();
    }
    Ok((lines, badges))
}
