//! `cakap`: the one binary. Each subcommand is an `Opts` struct and a `run` function.

mod national;

// jemalloc rather than glibc's malloc: under 64 concurrent sessions the system allocator's
// arena locks and fragmentation cost throughput and memory (measured in bench/RESULTS.md,
// "Allocator"; docs/operations.md#memory).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::io::IsTerminal;

use anyhow::{Context, Result, bail};
use cakap_demo as demo;
use cakap_domain::Role;
use cakap_services::{Actor, DEFAULT_TENANT, Db, auth};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "cakap",
    version,
    about = "Competency management for civil servants (ASN)"
)]
struct Cli {
    /// Database: `sqlite://cakap.db` (created if missing) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://cakap.db",
        hide_env_values = true
    )]
    database_url: String,
    /// Directory of the certificate signing keys (private; created 0700, files 0600). Default:
    /// `NAME.keys/` beside a SQLite file `NAME.db`, else `cakap.keys/` here.
    #[arg(long, global = true, env = "CAKAP_KEYS_DIR")]
    keys_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application and the JSON API.
    Serve(ServeOpts),
    /// Load the Aceh Barat Daya demo data into an empty database (`--national`: and every
    /// other government of Indonesia, on PostgreSQL).
    Demo(DemoOpts),
    /// The national view's figures (docs/national.md).
    #[command(subcommand)]
    National(NationalCommand),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the certificate signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Import units, positions, competencies, requirements, employees (our template or a SIASN
    /// export) or assessments from an XLSX or CSV file: every row is checked first; with any
    /// error nothing is written.
    Import {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(cakap_services::imports::KINDS))]
        kind: String,
        file: String,
        /// Check and report only.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a spreadsheet of units, positions, competencies, requirements, employees or
    /// assessments (the import template's columns).
    Export {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(cakap_services::exports::KINDS))]
        kind: String,
        #[arg(long, default_value = "xlsx", value_parser = ["xlsx", "csv"])]
        format: String,
        /// Where to write; default `KIND.FORMAT` in the current folder, `-` for stdout.
        #[arg(long, short)]
        output: Option<String>,
    },
    /// Write a report: `report annual --year 2026 -o laporan.pdf` (the file's extension,
    /// `.pdf` or `.xlsx`, picks the format).
    #[command(subcommand)]
    Report(ReportCommand),
    /// Manage the xAPI clients (outside learning platforms) that may write statements.
    #[command(subcommand, name = "xapi-client")]
    XapiClient(XapiClientCommand),
    /// Copy a consistent snapshot of the SQLite database to FILE.
    Backup { file: String },
    /// Replace the SQLite database with FILE (made by `backup`); stop the server first.
    Restore { file: String },
}

#[derive(clap::Args, Debug)]
struct ServeOpts {
    /// Address to listen on (port 0: any free port; the URL printed says which).
    #[arg(long, env = "CAKAP_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Load the demo data first when the database has no employees.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (set when a TLS proxy is in front).
    #[arg(long, env = "CAKAP_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (behind a proxy only).
    #[arg(long, env = "CAKAP_TRUST_PROXY")]
    trust_proxy: bool,
    /// Where people reach the server (`https://cakap.example.go.id`): used for certificate QR
    /// codes and other absolute links, never the request's Host header. Default: the
    /// listening address, `http://127.0.0.1:PORT`.
    #[arg(long, env = "CAKAP_PUBLIC_URL", value_parser = cakap_web::parse_public_url)]
    public_url: Option<String>,
    /// SMTP relay for e-mail notifications, `smtp://[user:pass@]host[:port]`; unset: in-app only.
    #[arg(long, env = "CAKAP_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of those e-mails.
    #[arg(
        long,
        env = "CAKAP_MAIL_FROM",
        default_value = "Cakap <cakap@localhost>"
    )]
    mail_from: String,
}

#[derive(clap::Args, Debug)]
struct DemoOpts {
    /// How many ASN to generate.
    #[arg(long, default_value_t = 4500)]
    employees: u32,
    /// Seed: the same seed gives the same data.
    #[arg(long, default_value_t = 1112)]
    seed: u64,
    /// Then copy the regency into every other province, kabupaten and kota of Indonesia at
    /// its size (PostgreSQL only; run again to resume).
    #[arg(long)]
    national: bool,
    /// ASN of the whole country for `--national`.
    #[arg(long, default_value_t = 4_700_000, requires = "national")]
    national_asn: u64,
    /// Only these provinces for `--national` (Kemendagri codes, e.g. 11,12).
    #[arg(long, value_delimiter = ',', requires = "national")]
    provinces: Vec<String>,
}

#[derive(Subcommand, Debug)]
enum NationalCommand {
    /// Compute every government's figures of a year (the server does this year's hourly).
    Refresh {
        /// Default: this year.
        #[arg(long)]
        year: Option<i64>,
        /// Recompute every government's stored JPM too (otherwise read as stored: each
        /// government's own changes keep them fresh).
        #[arg(long)]
        recompute: bool,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account; the password comes from CAKAP_PASSWORD or a prompt.
    Add {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Unit code (required for `pimpinan`).
        #[arg(long)]
        unit: Option<String>,
        /// NIP of the employee this account belongs to (required for `pimpinan`).
        #[arg(long)]
        nip: Option<String>,
    },
    /// Set a new password (from CAKAP_PASSWORD or a prompt) and end the user's sessions.
    Passwd { username: String },
    /// Disable an account and end its sessions and tokens.
    Disable { username: String },
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Make a new current key for every tenant (or one); the old keys stay published and
    /// keep checking the certificates they signed. Prints the new key ids.
    Rotate {
        /// Only this tenant (Kemendagri code, e.g. 11.12).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// "Laporan Pengembangan Kompetensi ASN {year}" over the whole regency.
    Annual {
        #[arg(long)]
        year: i64,
        /// Where to write (`.pdf` or `.xlsx`); default `laporan-pengembangan-kompetensi-YEAR.pdf`.
        #[arg(long, short)]
        output: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum XapiClientCommand {
    /// Make a client: prints its key and secret (the secret is shown this once).
    Add { name: String },
    /// List the clients.
    List,
    /// Stop a client's key from working (its statements stay).
    Revoke { name: String },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|()| "admin, pimpinan, asn, instruktur or auditor".to_string())
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    init_tracing(matches!(cli.command, Command::Serve(_)));
    if let Err(e) = run(cli).await {
        eprintln!("cakap: {e:#}");
        std::process::exit(1);
    }
}

fn init_tracing(serving: bool) {
    use tracing_subscriber::EnvFilter;
    // A command's long statements (an import, the national generator) are its work, not news.
    let default = if serving {
        "info,sqlx=warn"
    } else {
        "warn,sqlx=error"
    };
    let filter = EnvFilter::try_from_env("CAKAP_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("CAKAP_LOG_JSON").is_ok() {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Restore { file } => return restore(&cli.database_url, &file),
        Command::Serve(opts) => {
            return serve(&cli.database_url, cli.keys_dir.as_deref(), opts).await;
        }
        _ => {}
    }
    let db = open(&cli.database_url).await?;
    let tenant = default_tenant(&db).await?;
    let keys = match cli.command {
        Command::Migrate | Command::Demo(_) | Command::Keys(_) => {
            Some(open_keys(&db, &cli.database_url, cli.keys_dir.as_deref()).await?)
        }
        _ => None,
    };
    match cli.command {
        Command::Migrate => println!("migrations applied"),
        Command::Keys(KeysCommand::Rotate { tenant }) => {
            let keys = keys.context("keys directory")?;
            let rotated = cakap_services::learning::keys::rotate(&db, &keys, tenant.as_deref())
                .await
                .map_err(|e| match e {
                    cakap_services::ServiceError::NotFound => anyhow::anyhow!("no such tenant"),
                    other => anyhow::anyhow!("{other}"),
                })?;
            for r in rotated {
                println!("{} {}", r.tenant, r.kid);
            }
        }
        Command::Demo(opts) => {
            let mut c = db.conn().await?;
            let loaded = cakap_store::employees::count(&mut c, tenant).await? > 0;
            drop(c);
            if opts.national {
                demo::national::check(&db, &opts.provinces).map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            // With --national a second run resumes the governments; the regency stays.
            if !(opts.national && loaded) {
                load_demo(
                    &db,
                    tenant,
                    &demo::Options {
                        employees: opts.employees,
                        seed: opts.seed,
                    },
                )
                .await?;
            }
            if opts.national {
                national::generate(
                    &db,
                    tenant,
                    DEFAULT_TENANT.0,
                    opts.national_asn,
                    opts.provinces,
                )
                .await?;
            }
        }
        Command::National(NationalCommand::Refresh { year, recompute }) => {
            let year = year.unwrap_or_else(cakap_services::national::this_year);
            national::refresh(&db, year, recompute).await?;
        }
        Command::User(cmd) => user(&db, tenant, cmd).await?,
        Command::XapiClient(cmd) => xapi_client(&db, tenant, cmd).await?,
        Command::Report(ReportCommand::Annual { year, output }) => {
            let format = match output.as_deref() {
                Some(o) if o.to_ascii_lowercase().ends_with(".xlsx") => "xlsx",
                Some(o) if o.to_ascii_lowercase().ends_with(".pdf") || o == "-" => "pdf",
                Some(o) => bail!("{o}: the report is written as .pdf or .xlsx"),
                None => "pdf",
            };
            let started = std::time::Instant::now();
            let (bytes, name) =
                cakap_services::annual::render(&db, &Actor::system(tenant), year, format)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            let output = output.unwrap_or(name);
            if output == "-" {
                std::io::Write::write_all(&mut std::io::stdout(), &bytes)?;
            } else {
                std::fs::write(&output, &bytes).with_context(|| format!("writing {output}"))?;
                eprintln!(
                    "annual report {year}: {} bytes written to {output} in {:.1} s",
                    bytes.len(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Export {
            kind,
            format,
            output,
        } => {
            let format = cakap_services::exports::Format::parse(&format).context("format")?;
            let bytes = cakap_services::exports::export(&db, &Actor::system(tenant), &kind, format)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            let output = output.unwrap_or_else(|| format!("{kind}.{}", format.extension()));
            if output == "-" {
                std::io::Write::write_all(&mut std::io::stdout(), &bytes)?;
            } else {
                std::fs::write(&output, &bytes).with_context(|| format!("writing {output}"))?;
                eprintln!("{kind}: {} bytes written to {output}", bytes.len());
            }
        }
        Command::Import {
            kind,
            file,
            dry_run,
        } => import(&db, tenant, &kind, &file, dry_run).await?,
        Command::Backup { file } => {
            if !db.backup_sqlite(&file).await? {
                bail!("PostgreSQL: use pg_dump --format=custom (see README, Backups)");
            }
            println!("backup written to {file}");
        }
        Command::Serve(_) | Command::Restore { .. } => {}
    }
    db.close().await;
    Ok(())
}

async fn xapi_client(db: &Db, tenant: i64, cmd: XapiClientCommand) -> Result<()> {
    use cakap_services::xapi::clients;
    let actor = Actor::system(tenant);
    let fail = |e: cakap_services::ServiceError| anyhow::anyhow!("{}", describe(&e));
    match cmd {
        XapiClientCommand::Add { name } => {
            let c = clients::add(db, &actor, &name).await.map_err(fail)?;
            println!("xAPI client {}", c.name);
            println!("  endpoint: <public URL>/xapi");
            println!("  key:      {}", c.key);
            println!("  secret:   {}", c.secret);
            eprintln!("The secret is shown only now; keep it in the platform's LRS settings.");
        }
        XapiClientCommand::List => {
            for c in clients::list(db, &actor).await.map_err(fail)? {
                let state = if c.revoked { "revoked" } else { "active" };
                println!("{}\t{}\t{state}", c.name, c.key);
            }
        }
        XapiClientCommand::Revoke { name } => {
            clients::revoke(db, &actor, &name).await.map_err(fail)?;
            println!("revoked {name}");
        }
    }
    Ok(())
}

async fn open(url: &str) -> Result<Db> {
    cakap_services::open(url).await.map_err(|e| {
        let hint = if disk_trouble(&e.to_string()) {
            " (is the disk full, or the file read-only?)"
        } else {
            ""
        };
        anyhow::Error::new(e).context(format!("opening the database{hint}"))
    })
}

/// SQLite's words for a disk that refuses writes (SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY).
fn disk_trouble(message: &str) -> bool {
    ["disk is full", "disk I/O error", "readonly database"]
        .iter()
        .any(|w| message.contains(w))
}

/// Opens the certificate keys directory: moves a key still in the database out, makes the
/// missing ones, publishes their public halves.
async fn open_keys(
    db: &Db,
    url: &str,
    dir: Option<&std::path::Path>,
) -> Result<cakap_services::learning::keys::KeyDir> {
    let dir = dir.map_or_else(
        || cakap_services::learning::keys::default_dir(url),
        std::path::Path::to_path_buf,
    );
    let keys = cakap_services::learning::keys::open(db, &dir)
        .await
        .map_err(|e| anyhow::anyhow!("certificate keys in {}: {e}", dir.display()))?;
    tracing::info!(dir = %dir.display(), "certificate keys");
    Ok(keys)
}

async fn default_tenant(db: &Db) -> Result<i64> {
    let mut c = db.conn().await?;
    cakap_store::tenants::by_code(&mut c, DEFAULT_TENANT.0)
        .await?
        .map(|t| t.id)
        .context("the default tenant is missing")
}

async fn serve(url: &str, keys_dir: Option<&std::path::Path>, opts: ServeOpts) -> Result<()> {
    let db = open(url).await?;
    let tenant = default_tenant(&db).await?;
    open_keys(&db, url, keys_dir).await?;
    let mut logins = None;
    if opts.demo {
        let mut c = db.conn().await?;
        if cakap_store::employees::count(&mut c, tenant).await? == 0 {
            drop(c);
            logins = Some(load_demo(&db, tenant, &demo::Options::default()).await?);
        } else {
            eprintln!("database already has data; demo not loaded again");
        }
    }
    if opts.secure_cookies && opts.public_url.is_none() {
        tracing::warn!("--secure-cookies without --public-url: QR codes will carry http:// links");
    }
    let config = cakap_web::Config {
        secure_cookies: opts.secure_cookies,
        trust_proxy: opts.trust_proxy,
        public_url: opts.public_url.clone().unwrap_or_default(),
        smtp_url: opts.smtp_url.clone(),
        mail_from: opts.mail_from.clone(),
    };
    cakap_web::serve(db, config, &opts.addr, |addr| {
        println!("Cakap is running at http://{addr}/");
        if opts.demo {
            println!(
                "Demo logins (password {}): {}",
                demo::DEMO_PASSWORD,
                logins
                    .as_deref()
                    .unwrap_or("admin, kadinkes, kapus.babahrot, asn, instruktur, auditor, bkn")
            );
        }
        tracing::info!(%addr, "listening");
    })
    .await
    .with_context(|| format!("serving on {}", opts.addr))
}

/// Loads the demo with a progress bar on a terminal (plain lines otherwise) and prints the
/// logins; returns them as one line for `serve --demo`.
async fn load_demo(db: &Db, tenant: i64, opts: &demo::Options) -> Result<String> {
    let started = std::time::Instant::now();
    let (bar, step) = national::bar("demo", "employees", 1000);
    let progress = |done: u64, total: u64| step(done as usize, total as usize);
    let summary = demo::load(db, tenant, opts, &progress)
        .await
        .map_err(|e| anyhow::anyhow!("loading the demo: {e}"))?;
    bar.finish_and_clear();
    let plan = demo::plans(db, tenant, summary.asn_employee)
        .await
        .map_err(|e| anyhow::anyhow!("making the demo's training plan: {e}"))?;
    println!(
        "Demo loaded in {:.1}s: {} units, {} positions, {} employees, {} competencies, {} assessments, {} performance evaluations, {} completed courses, {} survey answers, {} complaints, {} regulations with {} campaigns, {} crisis certifications, {} xAPI statements from the national LMS, {} attendance lines for last month's TPP, {} badges issued.",
        started.elapsed().as_secs_f64(),
        summary.units,
        summary.positions,
        summary.employees,
        summary.competencies,
        summary.assessments,
        summary.evaluations,
        summary.completions,
        summary.survey_responses,
        summary.complaints,
        summary.regulations,
        summary.campaigns,
        summary.certifications,
        summary.xapi_statements,
        summary.attendance,
        summary.badges
    );
    println!("Training plan #{plan} for next year is waiting for approval at /plans/{plan}.");
    println!("Logins (password {}):", demo::DEMO_PASSWORD);
    for l in &summary.logins {
        println!("  {:<11} {:<15} {}", l.role.as_str(), l.username, l.who);
    }
    Ok(summary
        .logins
        .iter()
        .map(|l| format!("{} ({})", l.username, l.role.as_str()))
        .collect::<Vec<_>>()
        .join(", "))
}

/// `cakap import`: a progress bar on a terminal, then the summary and every error, one per
/// line, in Indonesian (English when LANG starts with `en`).
async fn import(db: &Db, tenant: i64, kind: &str, file: &str, dry_run: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
    let tty = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(100);
    if tty {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {percent}%")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(format!("import {kind}"));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let progress = |done: u64, total: u64| {
        let pct = (done * 100).checked_div(total).unwrap_or(100);
        if tty {
            bar.set_position(pct);
        } else {
            eprintln!("import {kind}: {pct}%");
        }
    };
    let outcome =
        cakap_services::imports::run(db, &Actor::system(tenant), kind, &bytes, dry_run, &progress)
            .await
            .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    bar.finish_and_clear();
    let lang = if std::env::var("LANG").is_ok_and(|l| l.starts_with("en")) {
        cakap_web::i18n::Lang::En
    } else {
        cakap_web::i18n::Lang::Id
    };
    for e in &outcome.errors {
        eprintln!(
            "row {} {}: {}",
            e.row,
            e.column,
            cakap_web::i18n::t_args(lang, e.key, &e.args)
        );
    }
    let s = &outcome.summary;
    println!(
        "{kind}: {} rows, {} valid, {} created, {} updated, {} positions created{}",
        s.rows,
        s.valid,
        s.created,
        s.updated,
        s.positions_created,
        if s.dry_run { " (nothing written)" } else { "" }
    );
    if !outcome.errors.is_empty() {
        bail!(
            "{} problems found; nothing was written",
            outcome.errors.len()
        );
    }
    Ok(())
}

fn password_from_env_or_prompt() -> Result<String> {
    if let Ok(p) = std::env::var("CAKAP_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        bail!("set CAKAP_PASSWORD or run on a terminal to be prompted for the password");
    }
    eprint!("Password: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn user(db: &Db, tenant: i64, cmd: UserCommand) -> Result<()> {
    let actor = Actor::system(tenant);
    let fail = |e: cakap_services::ServiceError| anyhow::anyhow!("{}", describe(&e));
    match cmd {
        UserCommand::Add {
            username,
            role,
            unit,
            nip,
        } => {
            let password = password_from_env_or_prompt()?;
            auth::add_user(
                db,
                &actor,
                &username,
                role,
                unit.as_deref(),
                nip.as_deref(),
                &password,
            )
            .await
            .map_err(fail)?;
            println!("user {username} added ({})", role.as_str());
        }
        UserCommand::Passwd { username } => {
            let password = password_from_env_or_prompt()?;
            auth::set_password(db, &actor, &username, &password)
                .await
                .map_err(fail)?;
            println!("password of {username} changed");
        }
        UserCommand::Disable { username } => {
            auth::disable_user(db, &actor, &username)
                .await
                .map_err(fail)?;
            println!("user {username} disabled");
        }
    }
    Ok(())
}

/// A one-line English description of a refusal for the terminal.
fn describe(e: &cakap_services::ServiceError) -> String {
    use cakap_services::ServiceError as E;
    match e {
        E::Invalid { field, key, args } => {
            let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{field}: {key} {}", args.join(" "))
                .trim_end()
                .to_string()
        }
        E::Duplicate { field } => format!("{field} already exists"),
        E::NotFound => "no such user".into(),
        other => other.to_string(),
    }
}

fn restore(url: &str, file: &str) -> Result<()> {
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        bail!("PostgreSQL: use pg_restore (see README, Backups)");
    };
    let path = path.split('?').next().unwrap_or(path);
    let header = std::fs::read(file).with_context(|| format!("reading {file}"))?;
    if !header.starts_with(b"SQLite format 3\0") {
        bail!("{file} is not an SQLite database");
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    std::fs::copy(file, path).with_context(|| format!("copying {file} to {path}"))?;
    println!("restored {path} from {file}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_valid() {
        super::Cli::command().debug_assert();
    }
}
