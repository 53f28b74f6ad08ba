//! What the binary's test files share.

use std::path::Path;
use std::process::Command;

/// One value read from a SQLite file by Python's own sqlite3 (outside the binary under test);
/// empty when it cannot be read.
pub fn sqlite_scalar(path: &Path, sql: &str) -> String {
    let o = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])",
        ])
        .arg(path)
        .arg(sql)
        .output()
        .expect("python3");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}
