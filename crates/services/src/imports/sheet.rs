//! Reading an uploaded sheet: XLSX (recognised by its zip signature, not its name) or CSV
//! (UTF-8, with Windows-1252 as the fallback; `,` or `;`), within size limits.

use cakap_domain::Localizable;

/// Largest upload read.
pub const MAX_BYTES: usize = 20 << 20;
/// Most data rows in one import.
pub const MAX_ROWS: usize = 200_000;
/// Largest uncompressed XLSX content: a zip bomb stops here.
const MAX_UNZIPPED: u64 = 200 << 20;

pub struct Sheet {
    pub headers: Vec<String>,
    /// Data rows with their spreadsheet row number (the header is row 1).
    pub rows: Vec<(usize, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    Empty,
    TooLarge,
    TooManyRows,
    NotASpreadsheet,
    Unreadable(String),
}

impl Localizable for SheetError {
    fn key(&self) -> &'static str {
        match self {
            SheetError::Empty => "import.empty",
            SheetError::TooLarge => "import.too_large",
            SheetError::TooManyRows => "import.too_many_rows",
            SheetError::NotASpreadsheet => "import.not_a_spreadsheet",
            SheetError::Unreadable(_) => "import.unreadable",
        }
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            SheetError::TooManyRows => vec![("max", MAX_ROWS.to_string())],
            SheetError::Unreadable(why) => vec![("why", why.clone())],
            _ => vec![],
        }
    }
}

impl Sheet {
    pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
        if bytes.len() > MAX_BYTES {
            return Err(SheetError::TooLarge);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(SheetError::Empty);
        }
        let grid = if bytes.starts_with(b"PK\x03\x04") {
            xlsx(bytes)?
        } else {
            csv(bytes)?
        };
        let mut it = grid.into_iter();
        let Some((_, headers)) = it.next() else {
            return Err(SheetError::Empty);
        };
        let headers: Vec<String> = headers
            .into_iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        if headers.iter().all(String::is_empty) {
            return Err(SheetError::Empty);
        }
        let rows: Vec<(usize, Vec<String>)> = it
            .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            .collect();
        if rows.len() > MAX_ROWS {
            return Err(SheetError::TooManyRows);
        }
        Ok(Sheet { headers, rows })
    }
}

/// Text, decoded as UTF-8 or else as Windows-1252 (what Excel on Windows saves as "CSV").
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

fn csv(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(SheetError::NotASpreadsheet);
    }
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    // The reader's line count skips blank lines; count newlines before each record instead.
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Unreadable(e.to_string()))?;
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
        // A record's position is where the previous one ended, before any blank lines.
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += text.as_bytes()[counted_to..start.max(counted_to)]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start.max(counted_to);
        out.push((line, record.iter().map(str::to_string).collect()));
        if out.len() > MAX_ROWS + 1 {
            return Err(SheetError::TooManyRows);
        }
    }
    Ok(out)
}

/// The declared uncompressed size of a zip's entries (from the central directory), so a
/// bomb is refused before anything is inflated.
fn unzipped_size(bytes: &[u8]) -> Option<u64> {
    let eocd = bytes.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let entries = u16::from_le_bytes(bytes.get(eocd + 10..eocd + 12)?.try_into().ok()?) as usize;
    let mut at = u32::from_le_bytes(bytes.get(eocd + 16..eocd + 20)?.try_into().ok()?) as usize;
    let mut total = 0u64;
    for _ in 0..entries {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let size = u32::from_le_bytes(bytes.get(at + 24..at + 28)?.try_into().ok()?);
        let name = u16::from_le_bytes(bytes.get(at + 28..at + 30)?.try_into().ok()?) as usize;
        let extra = u16::from_le_bytes(bytes.get(at + 30..at + 32)?.try_into().ok()?) as usize;
        let comment = u16::from_le_bytes(bytes.get(at + 32..at + 34)?.try_into().ok()?) as usize;
        total += u64::from(size);
        at += 46 + name + extra + comment;
    }
    Some(total)
}

fn xlsx(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    use calamine::{Data, Reader};
    match unzipped_size(bytes) {
        Some(n) if n <= MAX_UNZIPPED => {}
        Some(_) => return Err(SheetError::TooLarge),
        None => return Err(SheetError::NotASpreadsheet),
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| SheetError::NotASpreadsheet)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    if range.height() > MAX_ROWS + 1 {
        return Err(SheetError::TooManyRows);
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    let first = range.start().map_or(0, |(row, _)| row as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let cells = row
                .iter()
                .map(|cell| match cell {
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    // Whole numbers as digits; an 18-digit NIP typed as a number has already lost
                    // its last digits here, and the NIP check will say so.
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => epoch
                        .and_then(|e| {
                            e.checked_add_signed(chrono::Duration::days(d.as_f64().floor() as i64))
                        })
                        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
                    Data::Error(_) | Data::Empty => String::new(),
                })
                .collect();
            (first + i + 1, cells)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_bom_and_windows_1252() {
        let s = Sheet::read("\u{feff}NIP;Nama\n1;Ani\n\n2;Budi\n".as_bytes()).expect("sheet");
        assert_eq!(s.headers, vec!["NIP", "Nama"]);
        assert_eq!(
            s.rows,
            vec![
                (2, vec!["1".into(), "Ani".into()]),
                (4, vec!["2".into(), "Budi".into()])
            ]
        );
        let latin = b"NIP,Nama\n1,Ren\xe9 \x93Cut\x94\n";
        let s = Sheet::read(latin).expect("sheet");
        assert_eq!(s.rows[0].1[1], "René “Cut”");
    }

    #[test]
    fn hostile_files_are_refused() {
        assert_eq!(Sheet::read(b"").err(), Some(SheetError::Empty));
        assert_eq!(Sheet::read(b"  \n ").err(), Some(SheetError::Empty));
        assert_eq!(
            Sheet::read(b"PK\x03\x04garbage-not-a-zip").err(),
            Some(SheetError::NotASpreadsheet)
        );
        assert_eq!(
            Sheet::read(b"\x00\x01\x02binary").err(),
            Some(SheetError::NotASpreadsheet)
        );
        assert_eq!(
            Sheet::read(&vec![b'a'; MAX_BYTES + 1]).err(),
            Some(SheetError::TooLarge)
        );
    }

    #[test]
    fn xlsx_round_trip_with_our_writer() {
        let t = crate::exports::Table {
            headers: vec!["NIP", "Nama"],
            rows: vec![vec!["197407072002121008".into(), "=1+1".into()]],
        };
        let bytes = crate::exports::to_xlsx(&t, "x").expect("xlsx");
        let s = Sheet::read(&bytes).expect("sheet");
        assert_eq!(s.headers, vec!["NIP", "Nama"]);
        assert_eq!(
            s.rows[0].1,
            vec!["197407072002121008".to_string(), "=1+1".to_string()]
        );
    }
}
