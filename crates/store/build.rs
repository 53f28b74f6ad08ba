// `sqlx::migrate!` embeds the migration files when this crate compiles; without this, adding
// a migration file alone would not rebuild it and the new migration would silently be missing.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
