//! The national view's tables (docs/national.md): what kind of tenant each is, the figures
//! a job pre-aggregates per government and year, and the PostgreSQL copier the national
//! generator lays 4.7 million ASN out with.

use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

/// The national super-tenant's kind (`tenants.kind`); every other tenant is `daerah`.
pub const NATIONAL: &str = "nasional";

/// Active ASN of every tenant.
pub async fn active_people(c: &mut Conn) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM employees WHERE active = TRUE"
    )?)
}

/// Whether the demo was loaded into this tenant (its audit log says so): the generator copies
/// nothing else, never real people.
pub async fn demo_loaded(c: &mut Conn, tenant: i64) -> Result<bool> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1 AND action = 'load' AND entity = 'demo'",
        tenant
    )? > 0)
}

/// Whether a tenant of this code exists.
pub async fn government_exists(c: &mut Conn, code: &str) -> Result<bool> {
    Ok(crate::tenants::by_code(c, code).await?.is_some())
}

/// Whether any national super-tenant exists (the hourly job runs only then).
pub async fn has_national(c: &mut Conn) -> Result<bool> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM tenants WHERE kind = 'nasional'"
    )? > 0)
}

/// The tenant of `code`, made with `name` and `kind` if missing; its id.
pub async fn ensure_tenant(c: &mut Conn, code: &str, name: &str, kind: &str) -> Result<i64> {
    if let Some(t) = crate::tenants::by_code(c, code).await? {
        return Ok(t.id);
    }
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO tenants (code, name, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        code,
        name,
        kind,
        now_ms()
    )?)
}

/// (active ASN under `scope`, of them with at least `target` JP) between two dates
/// (docs/domain.md#jp-right).
pub async fn jp_counts(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    (from, to): (&str, &str),
    target: i64,
) -> Result<(i64, i64)> {
    Ok(fetch_optional!(
        c,
        (i64, i64),
        concat!(
            "SELECT CAST(COUNT(*) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN COALESCE(j.jp, 0) >= $5 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
             LEFT JOIN ",
            crate::jp_of_period!(),
            " j ON j.employee_id = e.id \
             WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2"
        ),
        tenant,
        format!("{scope}%"),
        from,
        to,
        target
    )?
    .unwrap_or((0, 0)))
}

/// (active ASN with a stored JPM of the year, the sum of those JPM).
pub async fn jpm_sums(c: &mut Conn, tenant: i64, year: i64) -> Result<(i64, f64)> {
    Ok(fetch_optional!(
        c,
        (i64, f64),
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(s.jpm), 0) AS DOUBLE PRECISION) \
         FROM jpm_standings s JOIN employees e ON e.tenant_id = s.tenant_id AND e.id = s.employee_id \
         WHERE s.tenant_id = $1 AND s.year = $2 AND e.active = TRUE",
        tenant,
        year
    )?
    .unwrap_or((0, 0.0)))
}

/// One government's figures of a year.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Figures {
    pub tenant_id: i64,
    pub year: i64,
    pub people: i64,
    pub jpm_people: i64,
    pub jpm_sum: f64,
    pub jp20_people: i64,
    pub ikm: Option<f64>,
    pub ikm_units: i64,
    pub computed_at: i64,
}

pub async fn upsert(c: &mut Conn, f: &Figures) -> Result<()> {
    execute!(
        c,
        "INSERT INTO national_figures (tenant_id, year, people, jpm_people, jpm_sum, jp20_people, \
         ikm, ikm_units, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (tenant_id, year) DO UPDATE SET people = excluded.people, \
         jpm_people = excluded.jpm_people, jpm_sum = excluded.jpm_sum, \
         jp20_people = excluded.jp20_people, ikm = excluded.ikm, ikm_units = excluded.ikm_units, \
         computed_at = excluded.computed_at",
        f.tenant_id,
        f.year,
        f.people,
        f.jpm_people,
        f.jpm_sum,
        f.jp20_people,
        f.ikm,
        f.ikm_units,
        f.computed_at
    )?;
    Ok(())
}

/// A government's figures with its code and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FiguresRow {
    pub code: String,
    pub name: String,
    #[sqlx(flatten)]
    pub figures: Figures,
}

/// Every government's figures of a year, by code.
pub async fn of_year(c: &mut Conn, year: i64) -> Result<Vec<FiguresRow>> {
    Ok(fetch_all!(
        c,
        FiguresRow,
        "SELECT t.code, t.name, f.tenant_id, f.year, f.people, f.jpm_people, \
         CAST(f.jpm_sum AS DOUBLE PRECISION) AS jpm_sum, f.jp20_people, \
         CAST(f.ikm AS DOUBLE PRECISION) AS ikm, f.ikm_units, f.computed_at \
         FROM national_figures f JOIN tenants t ON t.id = f.tenant_id \
         WHERE f.year = $1 AND t.kind <> 'nasional' ORDER BY t.code",
        year
    )?)
}

// ------------------------------------------------------------ the generator (PostgreSQL)

/// Ids of a copied government start at `k × ID_BLOCK`; a copy `g` of a person adds
/// `g × PERSON_BLOCK` to the ids of that person's rows. The template's ids must stay below
/// `PERSON_BLOCK`, and a government holds at most `MAX_COPIES` copies of the template.
pub const PERSON_BLOCK: i64 = 100_000_000;
pub const MAX_COPIES: i64 = 64;
pub const ID_BLOCK: i64 = PERSON_BLOCK * MAX_COPIES;

/// The template tenant's tables the generator copies, parents first; the per-person ones are
/// copied once per copy of a person, the others once.
pub const COPIED: [&str; 18] = [
    "units",
    "positions",
    "competencies",
    "competency_versions",
    "position_requirements",
    "employees",
    "assessments",
    "performance_periods",
    "performance_plans",
    "evaluations",
    "potential_scores",
    "courses",
    "course_competencies",
    "offerings",
    "enrollments",
    "activities",
    "survey_responses",
    "service_population",
];

/// A PL/pgSQL function (of this connection only) that copies a template tenant into another:
/// for each table of [`COPIED`], every column as is except `tenant_id`, `id` and each column
/// of a foreign key `(tenant_id, col)`, which move by the government's block (plus the copy's
/// block for per-person tables); a key into a table not copied (users) becomes NULL; a unit's
/// path of ids is rewritten; copies of a person after the first get an 18-digit NIP made of
/// their id; activities' evidence files are not copied (nor their names, types and sizes). People are kept while `g < copies`,
/// and in the last copy `g = copies` those whose hash of `id + base` modulo 1000 is below
/// `part` — so a government gets about `(copies + part / 1000) ×` the template, each a
/// different part of it. So that governments differ as real ones do, `up`% of assessment results and
/// survey answers move one level up and `down`% one level down, and only `keep`% of courses
/// completed and activities are kept (a hash of the row picks which).
const COPIER: &str = r#"
CREATE OR REPLACE FUNCTION pg_temp.cakap_copy(src BIGINT, dst BIGINT, base BIGINT, copies INT, part INT,
    tables TEXT[], per_person TEXT[], block BIGINT, up INT, down INT, kept INT)
    RETURNS BIGINT LANGUAGE plpgsql AS $fn$
DECLARE
  t TEXT; col RECORD; ref TEXT; cols TEXT; sel TEXT; keep TEXT; parent TEXT; parent_col TEXT;
  person BOOLEAN; own_off TEXT; n BIGINT; total BIGINT := 0; roll TEXT;
BEGIN
  -- The template's rows are read by the primary key's tenant prefix: the statistics of tables
  -- growing by millions during the run would otherwise lead to full scans (quadratic time).
  SET LOCAL enable_seqscan = off;
  -- a number 0-99 fixed by the row, its copy and the government
  roll := format('(abs(hashint8(x.id + g * %s + %s)::bigint) %% 100)', block, base);
  FOREACH t IN ARRAY tables LOOP
    person := t = ANY(per_person);
    own_off := CASE WHEN person THEN format('(%s + g * %s)', base, block) ELSE base::text END;
    cols := ''; sel := ''; parent := NULL; keep := 'TRUE';
    FOR col IN SELECT a.attname, a.attnum FROM pg_attribute a
        WHERE a.attrelid = t::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attnum LOOP
      SELECT cf.relname INTO ref FROM pg_constraint k JOIN pg_class cf ON cf.oid = k.confrelid
        WHERE k.conrelid = t::regclass AND k.contype = 'f' AND cardinality(k.conkey) = 2
          AND k.conkey[2] = col.attnum LIMIT 1;
      -- The keep rules below know two shapes only: a person's row keyed to one person's row,
      -- and a shared row keyed to shared rows. Anything else would break a foreign key.
      IF ref = ANY(per_person) AND (NOT person OR (parent IS NOT NULL AND ref <> parent)) THEN
        RAISE EXCEPTION 'cakap_copy: %.% refers to % in a way the copier does not handle',
          t, col.attname, ref;
      END IF;
      cols := cols || quote_ident(col.attname) || ', ';
      IF col.attname = 'tenant_id' THEN
        sel := sel || dst || ', ';
      ELSIF col.attname = 'id' THEN
        sel := sel || format('x.id + %s, ', own_off);
      ELSIF ref IS NOT NULL THEN
        IF ref = ANY(tables) THEN
          IF ref = ANY(per_person) THEN
            sel := sel || format('x.%I + %s + g * %s, ', col.attname, base, block);
            IF parent IS NULL THEN parent := ref; parent_col := col.attname; END IF;
          ELSE
            sel := sel || format('x.%I + %s, ', col.attname, base);
          END IF;
        ELSE
          sel := sel || 'NULL, ';
        END IF;
      ELSIF t = 'units' AND col.attname = 'path' THEN
        sel := sel || format('(SELECT ''/'' || string_agg((CAST(p AS BIGINT) + %s)::text, ''/'' ORDER BY o) || ''/'' '
          'FROM unnest(string_to_array(trim(both ''/'' from x.path), ''/'')) WITH ORDINALITY AS s(p, o)), ', base);
      ELSIF (t = 'assessments' AND col.attname = 'level') OR (t = 'survey_responses' AND col.attname ~ '^u[1-9]$') THEN
        sel := sel || format('LEAST(%s, GREATEST(1, x.%I + CASE WHEN %s < %s THEN 1 WHEN %s < %s THEN -1 ELSE 0 END)), ',
          CASE WHEN t = 'assessments' THEN 5 ELSE 4 END, col.attname, roll, up, roll, up + down);
      ELSIF t = 'activities' AND col.attname IN ('evidence', 'evidence_name', 'evidence_type') THEN
        sel := sel || 'NULL, ';
      ELSIF t = 'activities' AND col.attname = 'evidence_size' THEN
        sel := sel || '0, ';
      ELSIF t = 'employees' AND col.attname = 'nip' THEN
        sel := sel || format('CASE WHEN g = 0 THEN x.nip ELSE lpad((x.id + g * %s)::text, 18, ''0'') END, ', block);
      ELSE
        sel := sel || format('x.%I, ', col.attname);
      END IF;
    END LOOP;
    IF person THEN
      IF t = 'employees' THEN
        keep := format('(g < %s OR abs(hashint8(x.id + %s)::bigint) %% 1000 < %s)', copies, base, part);
      ELSIF parent = 'employees' THEN
        keep := format('(g < %s OR abs(hashint8(x.%I + %s)::bigint) %% 1000 < %s)', copies, parent_col, base, part);
      ELSE
        -- a row of a person's row (an evaluation of a plan): kept with its parent, whose
        -- person is looked up in the template
        keep := format('EXISTS (SELECT 1 FROM %I p WHERE p.tenant_id = %s AND p.id = x.%I '
          'AND (g < %s OR abs(hashint8(p.employee_id + %s)::bigint) %% 1000 < %s))', parent, src, parent_col, copies, base, part);
      END IF;
      IF t IN ('enrollments', 'activities') THEN
        keep := keep || format(' AND %s < %s', roll, kept);
      END IF;
    END IF;
    -- g is a BIGINT: g × block passes 2^31 from the 22nd copy
    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I x CROSS JOIN generate_series(CAST(0 AS BIGINT), %s) g '
      'WHERE x.tenant_id = %s AND %s',
      t, left(cols, -2), left(sel, -2), t, CASE WHEN person THEN copies ELSE 0 END, src, keep);
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
  END LOOP;
  RETURN total;
END $fn$
"#;

/// Copies the template tenant `src` into the new government `dst` (inside the caller's
/// transaction; PostgreSQL only, the caller checks): `k` its place in the layout (ids start at `k × ID_BLOCK`),
/// about `(copies + part / 1000) ×` the template's people, varied by `vary` (see [`COPIER`]).
/// Returns the rows written.
pub async fn copy_government(
    c: &mut Conn,
    src: i64,
    dst: i64,
    k: i64,
    (copies, part): (i64, i64),
    vary: &Variation,
) -> Result<i64> {
    execute!(c, COPIER)?;
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT pg_temp.cakap_copy($1, $2, $3, CAST($4 AS INT), CAST($5 AS INT), \
         string_to_array($6, ','), string_to_array($7, ','), $8, CAST($9 AS INT), \
         CAST($10 AS INT), CAST($11 AS INT))",
        src,
        dst,
        k * ID_BLOCK,
        copies,
        part,
        COPIED.join(","),
        PER_PERSON.join(","),
        PERSON_BLOCK,
        vary.up,
        vary.down,
        vary.kept
    )?)
}

/// How a copied government differs from the template: percent of assessment results and
/// survey answers one level up, one level down; percent of completions and activities kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variation {
    pub up: i64,
    pub down: i64,
    pub kept: i64,
}

/// The tables of [`COPIED`] copied once per copy of a person.
pub const PER_PERSON: [&str; 7] = [
    "employees",
    "assessments",
    "performance_plans",
    "evaluations",
    "potential_scores",
    "enrollments",
    "activities",
];

/// The largest id among the template's rows of the copied tables (must stay below
/// [`PERSON_BLOCK`]).
pub async fn template_max_id(c: &mut Conn, src: i64) -> Result<i64> {
    let mut max = 0;
    for t in ID_TABLES {
        max = max.max(fetch_scalar!(c, i64, t.1, src)?);
    }
    Ok(max)
}

/// After copying: every copied table's id sequence moves past the largest id, so ids made
/// later stay unique across tenants.
pub async fn advance_sequences(c: &mut Conn) -> Result<()> {
    for t in ID_TABLES {
        fetch_scalar!(c, i64, t.2)?;
    }
    Ok(())
}

/// The copied tables with an `id` (their sequences are moved; the template's ids checked).
pub fn id_tables() -> Vec<&'static str> {
    ID_TABLES.iter().map(|t| t.0).collect()
}

macro_rules! id_tables {
    ($($t:literal),+) => {
        /// (table, the template's largest id, advance the sequence) of the copied tables with ids.
        const ID_TABLES: &[(&str, &str, &str)] = &[$((
            $t,
            concat!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM ", $t, " WHERE tenant_id = $1"),
            concat!("SELECT setval(pg_get_serial_sequence('", $t, "', 'id'), \
                     GREATEST((SELECT COALESCE(MAX(id), 0) FROM ", $t, "), 1))"),
        )),+];
    };
}

id_tables!(
    "units",
    "positions",
    "competencies",
    "employees",
    "assessments",
    "performance_periods",
    "performance_plans",
    "courses",
    "offerings",
    "enrollments",
    "activities",
    "survey_responses"
);
