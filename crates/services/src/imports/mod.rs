//! Spreadsheet imports (the API contract (docs/interfaces.md)): XLSX or CSV, headers in Indonesian with English (and
//! SIASN) aliases, every row validated before anything is written, all-or-nothing commit.
//!
//! Kinds: `units`, `positions`, `competencies`, `requirements`, `employees` (our template and
//! SIASN columns, docs/domain.md#siasn), `assessments`, `potentials` (talent map scores) and
//! `complaints` (a SP4N-LAPOR! export), `regulations` (a JDIH export), `completions` (Moodle)
//! `attendance` (monthly summaries for TPP) and `discipline` (sentences and CLTN that bar a
//! Satyalancana).

mod assessments;
mod attendance;
mod competencies;
mod complaints;
mod completions;
mod discipline;
mod employees;
mod positions;
mod potentials;
mod regulations;
mod requirements;
mod sheet;
mod units;

use cakap_domain::{Localizable, Role};
use serde::Serialize;
use utoipa::ToSchema;

pub use sheet::{MAX_BYTES, MAX_ROWS, Sheet, SheetError};

use crate::cache::Topic;
use cakap_store::Conn;

use crate::{Actor, Db, ServiceError, ServiceResult};

/// The tenant's employees by NIP, for the kinds whose rows name a person.
async fn employee_ids(
    c: &mut Conn,
    tenant: i64,
) -> ServiceResult<std::collections::HashMap<String, i64>> {
    Ok(cakap_store::employees::nips(c, tenant)
        .await?
        .into_iter()
        .map(|r| (r.nip, r.id))
        .collect())
}

/// In the order a new tenant fills them: each kind refers only to kinds before it.
pub const KINDS: [&str; 12] = [
    "units",
    "positions",
    "competencies",
    "requirements",
    "employees",
    "assessments",
    "potentials",
    "complaints",
    "regulations",
    "completions",
    "attendance",
    "discipline",
];

/// One refused cell or row: the spreadsheet row number (the header is row 1), the column as
/// named in the file, and a message key with its arguments.
#[derive(Debug, Clone)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl RowError {
    /// A refused value, quoted (shortened) in the message.
    pub fn value(row: usize, column: String, key: &'static str, value: &str) -> RowError {
        RowError {
            row,
            column,
            key,
            args: vec![("value", value.chars().take(60).collect())],
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ImportSummary {
    pub kind: String,
    /// Data rows read (blank rows are skipped).
    pub rows: usize,
    /// Rows without any error.
    pub valid: usize,
    pub created: usize,
    pub updated: usize,
    /// Positions created on the way (employees import).
    pub positions_created: usize,
    /// True when nothing was written (a dry run, or errors).
    pub dry_run: bool,
}

impl ImportSummary {
    /// Nothing counted yet and nothing written.
    pub fn new(kind: &str, rows: usize) -> ImportSummary {
        ImportSummary {
            kind: kind.into(),
            rows,
            dry_run: true,
            ..Default::default()
        }
    }
}

/// What an import did or would do, with every problem found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub summary: ImportSummary,
    pub errors: Vec<RowError>,
}

impl Outcome {
    /// A file refused before its rows were counted (unreadable, a column missing).
    pub fn refused(summary: ImportSummary, errors: Vec<RowError>) -> Outcome {
        Outcome { summary, errors }
    }
}

/// Reads `bytes`, validates every row, and — unless `dry_run` or any error — writes it all in
/// one transaction. `admin` only.
pub async fn run(
    db: &Db,
    actor: &Actor,
    kind: &str,
    bytes: &[u8],
    dry_run: bool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<Outcome> {
    actor.require_any(&[Role::Admin])?;
    let sheet = match Sheet::read(bytes) {
        Ok(s) => s,
        Err(e) => {
            let error = RowError {
                row: 1,
                column: String::new(),
                key: e.key(),
                args: e.args(),
            };
            return Ok(Outcome::refused(ImportSummary::new(kind, 0), vec![error]));
        }
    };
    let sheet = &sheet;
    match kind {
        "units" => drive::<units::Units>(db, actor, sheet, dry_run, progress).await,
        "positions" => drive::<positions::Positions>(db, actor, sheet, dry_run, progress).await,
        "competencies" => {
            drive::<competencies::Competencies>(db, actor, sheet, dry_run, progress).await
        }
        "requirements" => {
            drive::<requirements::Requirements>(db, actor, sheet, dry_run, progress).await
        }
        "employees" => drive::<employees::Employees>(db, actor, sheet, dry_run, progress).await,
        "assessments" => {
            drive::<assessments::Assessments>(db, actor, sheet, dry_run, progress).await
        }
        "potentials" => drive::<potentials::Potentials>(db, actor, sheet, dry_run, progress).await,
        "complaints" => drive::<complaints::Complaints>(db, actor, sheet, dry_run, progress).await,
        "regulations" => {
            drive::<regulations::Regulations>(db, actor, sheet, dry_run, progress).await
        }
        "completions" => {
            drive::<completions::Completions>(db, actor, sheet, dry_run, progress).await
        }
        "attendance" => drive::<attendance::Attendances>(db, actor, sheet, dry_run, progress).await,
        "discipline" => drive::<discipline::Discipline>(db, actor, sheet, dry_run, progress).await,
        _ => Err(ServiceError::NotFound),
    }
}

/// The columns of a kind's template, which are also its export's: the first name of every
/// column that is not an extra (SIASN-only) one.
pub fn template(kind: &str) -> Option<Vec<&'static str>> {
    let spec = match kind {
        "units" => units::Units::SPEC,
        "positions" => positions::Positions::SPEC,
        "competencies" => competencies::Competencies::SPEC,
        "requirements" => requirements::Requirements::SPEC,
        "employees" => employees::Employees::SPEC,
        "assessments" => assessments::Assessments::SPEC,
        "potentials" => potentials::Potentials::SPEC,
        "complaints" => complaints::Complaints::SPEC,
        "regulations" => regulations::Regulations::SPEC,
        "completions" => completions::Completions::SPEC,
        "attendance" => attendance::Attendances::SPEC,
        "discipline" => discipline::Discipline::SPEC,
        _ => return None,
    };
    Some(
        spec.iter()
            .filter(|c| c.in_template)
            .map(|c| c.names[0])
            .collect(),
    )
}

/// One kind of import: its columns, what it changes, how its rows are checked and written.
/// The driver ([`drive`]) does the rest, the same for every kind: maps the columns, counts,
/// reports progress, stops at any error or on a dry run, writes in one transaction, audits,
/// and tells the caches.
trait Kind {
    const NAME: &'static str;
    const SPEC: &'static [Column];
    /// What a committed import of this kind changes, as the caches see it.
    const TOPICS: &'static [Topic];
    /// The checked file, ready to write.
    type Plan: Send;

    /// Checks every row (and the file as a whole), pushing what it refuses into `errors`.
    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Self::Plan>>;

    /// Writes a checked file inside the import's transaction.
    async fn write(
        c: &mut Conn,
        actor: &Actor,
        cols: &Columns,
        plan: Self::Plan,
        counts: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()>;
}

/// What a check found: the plan, and what writing it will do.
struct Ready<P> {
    pub plan: P,
    pub counts: Counts,
}

impl<P: Default> Ready<P> {
    /// The file refused as a whole, for `error`: nothing to write.
    pub fn refused(errors: &mut Vec<RowError>, error: RowError) -> Ready<P> {
        errors.push(error);
        Ready {
            plan: P::default(),
            counts: Counts::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    pub valid: usize,
    pub created: usize,
    pub updated: usize,
    pub positions_created: usize,
}

/// Progress of an import: the first half checks rows, the second writes them.
struct Ticks<'a> {
    total: usize,
    progress: &'a (dyn Fn(u64, u64) + Sync),
}

impl Ticks<'_> {
    /// After checking row `done` (0-based); reported every 1,000 rows.
    pub fn checked(&self, done: usize) {
        if done % 1000 == 999 {
            (self.progress)(done as u64 + 1, self.total as u64 * 2);
        }
    }
    /// After writing item `done` (0-based); reported every 100.
    pub fn written(&self, done: usize) {
        self.written_every(done, 100);
    }
    /// After writing item `done`, reported every `n` (cheap writes report less often).
    pub fn written_every(&self, done: usize, n: usize) {
        if done % n == n - 1 {
            (self.progress)((self.total + done + 1) as u64, self.total as u64 * 2);
        }
    }
}

async fn drive<K: Kind>(
    db: &Db,
    actor: &Actor,
    sheet: &Sheet,
    dry_run: bool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<Outcome> {
    let total = sheet.rows.len();
    let base = ImportSummary::new(K::NAME, total);
    let cols = match Columns::map(sheet, K::SPEC) {
        Ok(c) => c,
        Err(errors) => return Ok(Outcome::refused(base, errors)),
    };
    let ticks = Ticks { total, progress };
    let mut errors = Vec::new();
    let Ready { plan, mut counts } = K::check(db, actor, sheet, &cols, &mut errors, &ticks).await?;
    if !errors.is_empty() || dry_run {
        errors.sort_by_key(|e| e.row);
        let summary = counts.summary(base);
        return Ok(Outcome { summary, errors });
    }
    let mut c = db.begin().await?;
    K::write(&mut c, actor, &cols, plan, &mut counts, &ticks).await?;
    crate::standings::touch(&mut c, actor.tenant_id, K::TOPICS).await?;
    let outcome = finish(c, actor, counts.summary(base), progress).await?;
    crate::change::changed(db, actor.tenant_id, K::TOPICS);
    // A large import changes the tables' shape: let the planner see it.
    if total >= 1000 {
        db.analyze().await?;
    }
    Ok(outcome)
}

impl Counts {
    fn summary(self, base: ImportSummary) -> ImportSummary {
        ImportSummary {
            valid: self.valid,
            created: self.created,
            updated: self.updated,
            positions_created: self.positions_created,
            ..base
        }
    }
}

/// Records the import in the audit log, commits it, and reports what was written.
async fn finish(
    mut c: cakap_store::Conn,
    actor: &Actor,
    summary: ImportSummary,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<Outcome> {
    let after = serde_json::json!({
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "positions_created": summary.positions_created,
    });
    let what = format!("{} rows", summary.rows);
    crate::audit::record(
        &mut c,
        actor,
        "import",
        &summary.kind,
        &what,
        None,
        Some(&after),
    )
    .await?;
    c.commit().await?;
    let end = summary.rows as u64 * 2;
    progress(end, end);
    let summary = ImportSummary {
        dry_run: false,
        ..summary
    };
    Ok(Outcome {
        summary,
        errors: Vec::new(),
    })
}

/// The header of each canonical field: what our template writes, then accepted aliases
/// (compared ignoring case, spaces and `_`).
pub struct Column {
    pub field: &'static str,
    pub names: &'static [&'static str],
    pub required: bool,
    /// In our template (and exports); SIASN-only columns are read but not written.
    pub in_template: bool,
}

impl Column {
    pub const fn required(field: &'static str, names: &'static [&'static str]) -> Column {
        Column {
            field,
            names,
            required: true,
            in_template: true,
        }
    }
    pub const fn optional(field: &'static str, names: &'static [&'static str]) -> Column {
        Column {
            field,
            names,
            required: false,
            in_template: true,
        }
    }
    /// Read when present, never in our template.
    pub const fn extra(field: &'static str, names: &'static [&'static str]) -> Column {
        Column {
            field,
            names,
            required: false,
            in_template: false,
        }
    }
}

/// Where each known field sits in the sheet.
pub struct Columns {
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    /// Matches the sheet's headers; a missing required column is an error on row 1.
    pub fn map(sheet: &Sheet, spec: &[Column]) -> Result<Columns, Vec<RowError>> {
        let norm = |s: &str| s.to_lowercase().replace([' ', '_', '-'], "");
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for col in spec {
            let hit = sheet
                .headers
                .iter()
                .position(|h| col.names.iter().any(|n| norm(n) == norm(h)));
            match hit {
                Some(i) => found.push((col.field, i, sheet.headers[i].clone())),
                None if col.required => errors.push(RowError {
                    row: 1,
                    column: col.names[0].to_string(),
                    key: "import.missing_column",
                    args: vec![("column", col.names[0].to_string())],
                }),
                None => {}
            }
        }
        if errors.is_empty() {
            Ok(Columns { found })
        } else {
            Err(errors)
        }
    }

    /// The trimmed value of `field` in `row` ('' when the column is absent).
    pub fn get<'a>(&self, row: &'a [String], field: &str) -> &'a str {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .and_then(|(_, i, _)| row.get(*i))
            .map_or("", |s| s.trim())
    }

    pub fn has(&self, field: &str) -> bool {
        self.found.iter().any(|(f, _, _)| *f == field)
    }

    /// The column's header as written in the file, for error reports.
    pub fn header(&self, field: &str) -> String {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .map_or_else(|| field.to_string(), |(_, _, h)| h.clone())
    }
}

/// A date as `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY` (Excel date cells arrive as
/// `YYYY-MM-DD` from the reader).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(s, f).ok())
}

/// Turns a service refusal into a row error for `column`.
pub fn row_error(row: usize, column: String, e: ServiceError) -> RowError {
    match e {
        ServiceError::Invalid { key, args, .. } => RowError {
            row,
            column,
            key,
            args,
        },
        ServiceError::Duplicate { .. } => RowError {
            row,
            column,
            key: "import.duplicate",
            args: vec![],
        },
        _ => RowError {
            row,
            column,
            key: "error.internal",
            args: vec![],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_forms() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 1);
        assert_eq!(parse_date("2026-03-01"), d);
        assert_eq!(parse_date("01/03/2026"), d);
        assert_eq!(parse_date("01-03-2026"), d);
        assert_eq!(parse_date("2026/03/01"), None);
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("March 1"), None);
    }
}
