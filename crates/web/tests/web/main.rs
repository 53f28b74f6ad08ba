//! The web crate's tests in one binary: the real router and services on a real database (SQLite
//! and PostgreSQL, see `common`), a module per area. One binary links the whole stack once; a
//! binary per file linked it 23 times (docs/architecture.md, "Two databases, one code path").

#[macro_use]
mod common;

mod api;
mod authz;
mod certificates;
mod cold;
mod competence;
mod equity;
mod i18n_keys;
mod imports;
mod interop;
mod learning;
mod national;
mod page_list;
mod pages;
mod performance;
mod plans;
mod points;
mod readiness;
mod recognition;
mod regulations;
mod schema;
mod security;
mod service_quality;
mod tpp;
mod xapi;
