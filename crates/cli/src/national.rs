//! `cakap demo --national` and `cakap national refresh` (docs/national.md).

use std::io::IsTerminal;

use anyhow::Result;
use cakap_demo as demo;
use cakap_services::Db;

/// A progress bar on a terminal ("demo: employees [===>  ] 1000/4500"), a plain line every
/// `every` otherwise ("demo: 1000/4500 employees").
pub fn bar(
    what: &'static str,
    unit: &'static str,
    every: usize,
) -> (indicatif::ProgressBar, impl Fn(usize, usize)) {
    let tty = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(0);
    if tty {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(format!("{what}: {unit}"));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let b = bar.clone();
    let progress = move |done: usize, total: usize| {
        if tty {
            b.set_length(total as u64);
            b.set_position(done as u64);
        } else if done == total || done.is_multiple_of(every) {
            eprintln!("{what}: {done}/{total} {unit}");
        }
    };
    (bar, progress)
}

/// Lays out every other government of the country from the demo regency `template`, then
/// computes every government's figures of this year.
pub async fn generate(
    db: &Db,
    template: i64,
    template_code: &str,
    asn: u64,
    provinces: Vec<String>,
) -> Result<()> {
    let started = std::time::Instant::now();
    let (b, progress) = bar("national", "governments copied", 25);
    let summary = demo::national::generate(
        db,
        template,
        template_code,
        &demo::national::NationalOptions { asn, provinces },
        &progress,
    )
    .await
    .map_err(|e| anyhow::anyhow!("generating the national data: {e}"))?;
    b.finish_and_clear();
    let copied = started.elapsed();
    let people = {
        let mut c = db.conn().await?;
        cakap_store::national::active_people(&mut c).await?
    };
    println!(
        "National data: {} governments copied ({} already there), {} rows, in {:.1}s; {} active ASN in all governments.",
        summary.governments,
        summary.skipped,
        summary.rows,
        copied.as_secs_f64(),
        people
    );
    refresh(db, cakap_services::national::this_year(), false).await?;
    println!(
        "Log in as bkn (password {}) and open /nasional.",
        demo::DEMO_PASSWORD
    );
    Ok(())
}

/// Computes every government's figures of `year`; `recompute`: every stored JPM too (the
/// gap engine over every government), not only those never computed.
pub async fn refresh(db: &Db, year: i64, recompute: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let (b, progress) = bar("national", "governments' figures", 50);
    use cakap_services::national::Jpm;
    let jpm = if recompute {
        Jpm::Recompute
    } else {
        Jpm::IfMissing
    };
    let (n, failed) = cakap_services::national::refresh(db, year, jpm, None, &progress)
        .await
        .map_err(|e| anyhow::anyhow!("computing the national figures: {e}"))?;
    b.finish_and_clear();
    println!(
        "National figures of {year}: {n} governments in {:.1}s.",
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        anyhow::bail!(
            "{failed} governments failed (see the warnings above); their figures are as before"
        );
    }
    Ok(())
}
