//! Reading an uploaded sheet: XLSX (recognised by its zip signature, not its name) or CSV
//! (UTF-8, with Windows-1252 as the fallback; `,` or `;`), within size limits.
//!
//! An XLSX is read cell by cell as it streams, never as a dense range: a tiny workbook with
//! one value in A1 and one in XFD1048576 would otherwise make a grid of 1.7 × 10^10 cells
//! before any row limit is checked. Every filled cell is checked against the row and column
//! limits as it arrives, and what is kept is bounded in cells and in text.

use cakap_domain::Localizable;

/// Largest upload read.
pub const MAX_BYTES: usize = 20 << 20;
/// Most data rows in one import.
pub const MAX_ROWS: usize = 200_000;
/// Largest uncompressed XLSX content: a zip bomb stops here.
const MAX_UNZIPPED: u64 = 200 << 20;
/// Most columns read (A–IV); the widest template, a SIASN export, has about 20.
pub const MAX_COLUMNS: u32 = 256;
/// Most cells kept from one sheet, blanks inside a row counted: 200,000 rows of 20 columns.
pub const MAX_CELLS: usize = 4_000_000;
/// Most text kept from one sheet: one long shared string repeated in every cell would
/// otherwise be copied into each.
const MAX_TEXT: usize = 64 << 20;

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
    /// A filled cell beyond the rows or columns read (its A1 name).
    OutOfBounds(String),
    TooManyCells,
    NotASpreadsheet,
    Unreadable(String),
}

impl Localizable for SheetError {
    fn key(&self) -> &'static str {
        match self {
            SheetError::Empty => "import.empty",
            SheetError::TooLarge => "import.too_large",
            SheetError::TooManyRows => "import.too_many_rows",
            SheetError::OutOfBounds(_) => "import.out_of_bounds",
            SheetError::TooManyCells => "import.too_many_cells",
            SheetError::NotASpreadsheet => "import.not_a_spreadsheet",
            SheetError::Unreadable(_) => "import.unreadable",
        }
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            SheetError::TooManyRows => vec![("max", MAX_ROWS.to_string())],
            SheetError::OutOfBounds(cell) => vec![
                ("cell", cell.clone()),
                ("rows", (MAX_ROWS + 1).to_string()),
                ("columns", MAX_COLUMNS.to_string()),
            ],
            SheetError::TooManyCells => vec![("max", MAX_CELLS.to_string())],
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
    // The workbook's limits hold here too: a line of 20 MiB of commas is 21 million cells.
    let mut cells = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Unreadable(e.to_string()))?;
        cells += record.len();
        if record.len() > MAX_COLUMNS as usize || cells > MAX_CELLS {
            return Err(SheetError::TooManyCells);
        }
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

/// The declared uncompressed size of a zip's entries, from its central directory as the
/// `zip` crate reads it (the same reader calamine uses), so a bomb is refused before anything
/// is inflated; that reader also stops each entry at its declared size.
fn unzipped_size(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.checked_add(zip.by_index_raw(i).ok()?.size())?;
    }
    Some(total)
}

/// The largest `uniqueCount` any shared-strings part declares. calamine reserves room for that
/// many strings before reading one (2.4 TB for `uniqueCount="100000000000"` in a 1 KB file, an
/// abort rather than a panic), so it is read first, here, in every attribute spelling.
fn declared_strings(bytes: &[u8]) -> Option<u64> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut most = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).ok()?;
        if !entry
            .name()
            .ok()?
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml")
        {
            continue;
        }
        let mut xml = Vec::new();
        entry
            .by_ref()
            .take(MAX_UNZIPPED)
            .read_to_end(&mut xml)
            .ok()?;
        most = most.max(unique_count(&xml));
    }
    Some(most)
}

/// Every `uniqueCount = "N"` in the text (spaces around `=`, either quote), the largest N;
/// digits beyond `u64` count as `u64::MAX`.
fn unique_count(xml: &[u8]) -> u64 {
    const NAME: &[u8] = b"uniqueCount";
    let mut most = 0u64;
    let mut at = 0;
    while let Some(found) = xml[at..].windows(NAME.len()).position(|w| w == NAME) {
        let mut i = at + found + NAME.len();
        at = i;
        let skip = |i: &mut usize| {
            while xml.get(*i).is_some_and(u8::is_ascii_whitespace) {
                *i += 1;
            }
        };
        skip(&mut i);
        if xml.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        skip(&mut i);
        if !matches!(xml.get(i), Some(b'"' | b'\'')) {
            continue;
        }
        i += 1;
        let mut n = 0u64;
        while let Some(d) = xml.get(i).filter(|d| d.is_ascii_digit()) {
            n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            i += 1;
        }
        most = most.max(n);
    }
    most
}

fn xlsx(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    use calamine::Reader;
    match unzipped_size(bytes) {
        Some(n) if n <= MAX_UNZIPPED => {}
        Some(_) => return Err(SheetError::TooLarge),
        None => return Err(SheetError::NotASpreadsheet),
    }
    match declared_strings(bytes) {
        Some(n) if n <= MAX_CELLS as u64 => {}
        Some(_) => return Err(SheetError::TooManyCells),
        None => return Err(SheetError::NotASpreadsheet),
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| SheetError::NotASpreadsheet)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::Empty)?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    // Filled cells by row, then column; rows may arrive in any order.
    let mut rows: std::collections::BTreeMap<u32, Vec<(u32, String)>> = Default::default();
    let (mut filled, mut text, mut first_column) = (0usize, 0usize, u32::MAX);
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| SheetError::Unreadable(e.to_string()))?
    {
        let value = cell_text(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        if row as usize > MAX_ROWS || column >= MAX_COLUMNS {
            return Err(SheetError::OutOfBounds(a1(row, column)));
        }
        filled += 1;
        text += value.len();
        if filled > MAX_CELLS || text > MAX_TEXT {
            return Err(SheetError::TooManyCells);
        }
        first_column = first_column.min(column);
        rows.entry(row).or_default().push((column, value));
    }
    // Rows start at the first filled column (as a range would), each as wide as its last
    // filled cell; blanks inside rows count against the cell limit too.
    let width = |cells: &[(u32, String)]| {
        cells
            .iter()
            .map(|(c, _)| (c - first_column + 1) as usize)
            .max()
            .unwrap_or(0)
    };
    if rows.values().map(|r| width(r)).sum::<usize>() > MAX_CELLS {
        return Err(SheetError::TooManyCells);
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| {
            let mut out = vec![String::new(); width(&cells)];
            for (column, value) in cells {
                out[(column - first_column) as usize] = value;
            }
            (row as usize + 1, out)
        })
        .collect())
}

/// A cell as the importers read it.
fn cell_text(cell: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match cell {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        // Whole numbers as digits; an 18-digit NIP typed as a number has already lost its last
        // digits here, and the NIP check will say so.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .zip(chrono::Duration::try_days(d.as_f64().floor() as i64))
            .and_then(|(epoch, days)| epoch.checked_add_signed(days))
            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// A cell's name as a spreadsheet shows it: (0, 0) → `A1`, (1048575, 16383) → `XFD1048576`.
fn a1(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
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

    /// A minimal workbook whose one worksheet has `sheet_data` (the `<row>` elements) and
    /// declares `dimension`; compressed with deflate, as spreadsheet programs write it.
    fn workbook(dimension: &str, sheet_data: &str) -> Vec<u8> {
        workbook_with_strings(dimension, sheet_data, &[])
    }

    /// [`workbook`] with a shared-strings table.
    fn workbook_with_strings(dimension: &str, sheet_data: &str, shared: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        for (name, text) in [
            (
                "[Content_Types].xml".to_string(),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"
                    .to_string(),
            ),
            (
                "_rels/.rels".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{rels}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
                ),
            ),
            (
                "xl/workbook.xml".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{main}\" xmlns:r=\"{rels}\">\
                 <sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{rels}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
                ),
            ),
            (
                "xl/worksheets/sheet1.xml".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{main}\">\
                 <dimension ref=\"{dimension}\"/><sheetData>{sheet_data}</sheetData></worksheet>"
                ),
            ),
            (
                "xl/sharedStrings.xml".into(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{main}\">{}</sst>",
                    shared
                        .iter()
                        .map(|s| format!("<si><t>{s}</t></si>"))
                        .collect::<String>()
                ),
            ),
        ] {
            zip.start_file(name, options).expect("entry");
            zip.write_all(text.as_bytes()).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_huge_declared_string_count_is_refused_before_calamine_reserves_it() {
        for tag in [
            "<sst uniqueCount=\"100000000000\" xmlns=\"x\">",
            "<!-- <sst uniqueCount='1'> --><sst count='3' uniqueCount = '99999999999999999999999'>",
        ] {
            let book = workbook("A1", &format!("<row r=\"1\">{}</row>", inline("A1", "NIP")));
            // The same workbook with the hostile shared-strings start tag.
            let hostile = replace_entry(&book, "xl/sharedStrings.xml", &format!("{tag}</sst>"));
            assert!(hostile.len() < 4096);
            assert_eq!(
                Sheet::read(&hostile).err(),
                Some(SheetError::TooManyCells),
                "{tag}"
            );
        }
        assert_eq!(unique_count(b"<sst uniqueCount=\"12\">"), 12);
        assert_eq!(unique_count(b"<sst count=\"12\">"), 0);
    }

    /// `book` with one entry's text replaced.
    fn replace_entry(book: &[u8], name: &str, text: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("zip");
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for i in 0..src.len() {
            let mut entry = src.by_index(i).expect("entry");
            let entry_name = entry.name().expect("name").to_string();
            let mut body = Vec::new();
            entry.read_to_end(&mut body).expect("read");
            out.start_file(entry_name.clone(), options).expect("start");
            if entry_name == name {
                out.write_all(text.as_bytes()).expect("write");
            } else {
                out.write_all(&body).expect("write");
            }
        }
        out.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_csv_line_of_commas_is_refused_as_too_many_cells() {
        let mut line = vec![b','; 300];
        line.extend_from_slice(b"\n1,2\n");
        assert_eq!(Sheet::read(&line).err(), Some(SheetError::TooManyCells));
        assert!(Sheet::read(b"NIP,Nama\n1,2\n").is_ok());
    }

    fn inline(cell: &str, text: &str) -> String {
        format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
    }

    #[test]
    fn a_tiny_workbook_with_a_far_cell_is_refused_without_building_a_grid() {
        let bytes = workbook(
            "A1:XFD1048576",
            &format!(
                "<row r=\"1\">{}</row><row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>",
                inline("A1", "NIP")
            ),
        );
        assert!(bytes.len() < 2048, "{} bytes", bytes.len());
        let started = std::time::Instant::now();
        assert_eq!(
            Sheet::read(&bytes).err(),
            Some(SheetError::OutOfBounds("XFD1048576".into()))
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // The far corner alone, in a column or a row: each refused by name.
        for (cell, far) in [("XFD1", "XFD1"), ("A1048576", "A1048576"), ("IW2", "IW2")] {
            let data = format!(
                "<row r=\"1\">{}</row><row r=\"{}\"><c r=\"{cell}\"><v>7</v></c></row>",
                inline("A1", "NIP"),
                cell.trim_start_matches(char::is_alphabetic)
            );
            let bytes = workbook("A1", &data);
            assert_eq!(
                Sheet::read(&bytes).err(),
                Some(SheetError::OutOfBounds(far.into()))
            );
        }
    }

    #[test]
    fn a_huge_declared_dimension_with_few_cells_is_read() {
        // The declaration is not trusted either way: only filled cells count.
        let data = format!(
            "<row r=\"3\">{}{}</row><row r=\"5\">{}<c r=\"D5\" s=\"1\"/></row>\
             <row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>",
            inline("B3", "NIP"),
            inline("C3", "Nama"),
            inline("C5", "Ani")
        );
        let s = Sheet::read(&workbook("A1:XFD1048576", &data)).expect("sheet");
        assert_eq!(s.headers, vec!["NIP", "Nama"]);
        assert_eq!(s.rows, vec![(5, vec![String::new(), "Ani".to_string()])]);
    }

    #[test]
    fn too_many_cells_or_too_much_text_is_refused() {
        // One long shared string (1 MiB, stored once) in each of 70 cells: 70 MiB of text.
        let long = "x".repeat(1 << 20);
        let mut data = String::new();
        for r in 1..=70u32 {
            data.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"
            ));
        }
        let bytes = workbook_with_strings("A1", &data, &[&long]);
        assert!(bytes.len() < 32 * 1024, "{} bytes", bytes.len());
        assert_eq!(Sheet::read(&bytes).err(), Some(SheetError::TooManyCells));
        // Wide rows: blanks inside rows count too (20,000 rows from A to IV).
        let mut data = format!("<row r=\"1\">{}</row>", inline("A1", "NIP"));
        for r in 2..=20_000u32 {
            data.push_str(&format!("<row r=\"{r}\"><c r=\"IV{r}\"><v>1</v></c></row>"));
        }
        assert_eq!(
            Sheet::read(&workbook("A1", &data)).err(),
            Some(SheetError::TooManyCells)
        );
    }

    #[test]
    fn cell_names_as_spreadsheets_write_them() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(9, 26), "AA10");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
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

    /// Property tests (issue 19): generated files, never a panic, always a sheet or a clear
    /// error; a sheet written by a spreadsheet program reads back cell for cell.
    mod props {
        use super::*;
        use proptest::prelude::*;

        /// A cell as people type them: any text with something in it, hostile strings too.
        fn cell() -> impl Strategy<Value = String> {
            prop_oneof![
                // Something visible first: a cell of spaces alone (even no-break ones) is blank.
                "[!-~\u{a1}-\u{24f}][ -~\u{a0}-\u{24f}]{0,15}",
                Just("=cmd|' /C calc'!A0".to_string()),
                Just("<script>alert(1)</script>".to_string()),
                Just("' OR 1=1 --".to_string()),
                Just("a,b;\"c\"\nd".to_string()),
            ]
        }

        /// Headers, then rows of as many cells, each row with something in it.
        fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
            (1usize..6).prop_flat_map(|width| {
                (
                    proptest::collection::vec("[A-Za-z][A-Za-z0-9_]{0,10}", width),
                    proptest::collection::vec(proptest::collection::vec(cell(), width), 0..12),
                )
            })
        }

        fn read_back(sheet: &Sheet) -> Vec<Vec<String>> {
            sheet.rows.iter().map(|(_, r)| r.clone()).collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// Any bytes: a sheet or an error with its message key, never a panic.
            #[test]
            fn any_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
                if let Err(e) = Sheet::read(&bytes) {
                    prop_assert!(e.key().starts_with("import."));
                }
            }

            /// A zip signature followed by anything: refused, never a panic.
            #[test]
            fn broken_workbooks_are_refused(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
                let mut bytes = b"PK\x03\x04".to_vec();
                bytes.extend(tail);
                prop_assert!(Sheet::read(&bytes).is_err());
            }

            /// A CSV written with quoting (commas, semicolons, quotes and line breaks inside
            /// cells) reads back exactly.
            #[test]
            fn csv_reads_back((headers, rows) in table()) {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&headers).expect("header");
                for r in &rows {
                    w.write_record(r).expect("row");
                }
                let bytes = w.into_inner().expect("csv");
                let sheet = Sheet::read(&bytes).expect("a sheet");
                prop_assert_eq!(&sheet.headers, &headers);
                prop_assert_eq!(read_back(&sheet), rows);
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            /// A workbook written cell by cell (as text) reads back exactly.
            #[test]
            fn xlsx_reads_back((headers, rows) in table()) {
                let mut book = rust_xlsxwriter::Workbook::new();
                let sheet = book.add_worksheet();
                for (c, h) in headers.iter().enumerate() {
                    sheet.write_string(0, c as u16, h).expect("header");
                }
                for (r, row) in rows.iter().enumerate() {
                    for (c, v) in row.iter().enumerate() {
                        sheet.write_string(r as u32 + 1, c as u16, v).expect("cell");
                    }
                }
                let bytes = book.save_to_buffer().expect("xlsx");
                let read = Sheet::read(&bytes).expect("a sheet");
                prop_assert_eq!(&read.headers, &headers);
                prop_assert_eq!(read_back(&read), rows);
            }
        }
    }
}
