//! PDF drawing shared by the documents Cakap prints: the base-14 Helvetica fonts in WinAnsi
//! (no font files embedded, so a report is a few kilobytes), text measured with the standard
//! widths, QR codes as squares, a one-page scaffold (certificates, posters) and [`Document`],
//! a flowing multi-page report with headings, wrapped paragraphs, tables that repeat their
//! header on a new page, horizontal bar charts and page numbers.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// Helvetica advance widths (1/1000 em) for ASCII 32–126, from the standard AFM.
const WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Text for a base-14 font in WinAnsi: Latin-1, the typographic quotes, dashes, bullet and
/// ellipsis at their WinAnsi places, anything else as `?`.
pub(crate) fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2022}' => 0x95,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2026}' => 0x85,
            '\u{00A0}' => b' ',
            c => u8::try_from(u32::from(c))
                .ok()
                .filter(|b| *b >= 32 && !(0x7f..0xa0).contains(b))
                .unwrap_or(b'?'),
        })
        .collect()
}

pub(crate) fn text_width(bytes: &[u8], size: f32) -> f32 {
    bytes
        .iter()
        .map(|b| match b {
            // The WinAnsi signs `latin1` writes, at their Helvetica widths.
            0x85 | 0x97 => 1000.0,
            0x91 | 0x92 => 222.0,
            0x93 | 0x94 => 333.0,
            0x95 => 350.0,
            0x96 => 556.0,
            _ => {
                let i = usize::from(b.saturating_sub(32));
                f32::from(*WIDTHS.get(i).unwrap_or(&556))
            }
        })
        .sum::<f32>()
        * size
        / 1000.0
}

/// A one-page PDF of `w` × `h` points with Helvetica (`F1`) and Helvetica-Bold (`F2`),
/// its content drawn by `draw` (the certificates and the survey posters).
pub(crate) fn one_page_pdf(
    w: f32,
    h: f32,
    title: &str,
    draw: impl FnOnce(&mut Content),
) -> Vec<u8> {
    let mut c = Content::new();
    draw(&mut c);
    write(w, h, title, vec![c])
}

/// A QR code of `data` as a `size`-point square with its lower left corner at (x0, y0): a
/// dark square per dark module (also the survey posters').
pub(crate) fn draw_qr(c: &mut Content, data: &str, x0: f32, y0: f32, size: f32) {
    let Ok(qr) = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M) else {
        return;
    };
    let n = qr.width();
    let cell = size / n as f32;
    c.set_fill_gray(0.0);
    for (i, color) in qr.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (row, col) = (i / n, i % n);
            c.rect(
                x0 + col as f32 * cell,
                y0 + size - (row + 1) as f32 * cell,
                cell + 0.05,
                cell + 0.05,
            );
        }
    }
    c.fill_nonzero();
}

/// A4 portrait, in points.
pub const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.35;

/// How a table column aligns its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A column: its header, its share of the text width, its alignment.
#[derive(Debug, Clone, Copy)]
pub struct Col<'a> {
    pub header: &'a str,
    pub share: f32,
    pub align: Align,
}

impl<'a> Col<'a> {
    pub fn left(header: &'a str, share: f32) -> Col<'a> {
        Col {
            header,
            share,
            align: Align::Left,
        }
    }
    pub fn right(header: &'a str, share: f32) -> Col<'a> {
        Col {
            header,
            share,
            align: Align::Right,
        }
    }
}

/// A report that flows over as many A4 pages as it needs.
pub struct Document {
    title: String,
    footer: String,
    pages: Vec<Content>,
    page: Content,
    y: f32,
}

impl Document {
    /// A new document; `footer` is printed at the bottom of every page with its number.
    pub fn new(title: &str, footer: &str) -> Document {
        Document {
            title: title.to_string(),
            footer: footer.to_string(),
            pages: Vec::new(),
            page: Content::new(),
            y: A4.1 - MARGIN,
        }
    }

    fn width() -> f32 {
        A4.0 - 2.0 * MARGIN
    }

    /// Starts a new page when fewer than `height` points are left on this one (never twice:
    /// on an empty page, what does not fit is the caller's to cut).
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN + 14.0 && !self.at_top() {
            self.break_page();
        }
    }

    fn at_top(&self) -> bool {
        self.y >= A4.1 - MARGIN
    }

    /// The most a block can take on one page.
    fn page_height() -> f32 {
        A4.1 - 2.0 * MARGIN - 14.0
    }

    pub fn break_page(&mut self) {
        let done = std::mem::replace(&mut self.page, Content::new());
        self.pages.push(done);
        self.y = A4.1 - MARGIN;
    }

    fn text(&mut self, x: f32, y: f32, font: &[u8], size: f32, bytes: &[u8]) {
        let c = &mut self.page;
        c.begin_text();
        c.set_font(Name(font), size);
        c.next_line(x, y);
        c.show(Str(bytes));
        c.end_text();
    }

    /// A centred title line (bold).
    pub fn title(&mut self, text: &str, size: f32) {
        let lines = wrap(&latin1(text), size, Self::width());
        for line in lines {
            self.room(size * LEADING);
            self.y -= size;
            let x = (A4.0 - text_width(&line, size)) / 2.0;
            self.text(x, self.y, b"F2", size, &line);
            self.y -= size * (LEADING - 1.0);
        }
        self.y -= 6.0;
    }

    /// A section heading; kept with at least a few lines of what follows.
    pub fn heading(&mut self, text: &str) {
        let size = 12.5;
        self.room(size * 2.0 + 4.0 * BODY * LEADING);
        self.y -= 8.0 + size;
        let bytes = latin1(text);
        self.page.set_fill_rgb(0.10, 0.36, 0.30);
        self.text(MARGIN, self.y, b"F2", size, &bytes);
        self.page.set_fill_gray(0.0);
        self.y -= 6.0;
    }

    /// A paragraph wrapped to the text width.
    pub fn paragraph(&mut self, text: &str) {
        let lines: Vec<Vec<u8>> = text
            .split('\n')
            .flat_map(|para| wrap(&latin1(para), BODY, Self::width()))
            .collect();
        for line in lines {
            self.room(BODY * LEADING);
            self.y -= BODY;
            self.text(MARGIN, self.y, b"F1", BODY, &line);
            self.y -= BODY * (LEADING - 1.0);
        }
        self.y -= 4.0;
    }

    /// A table; long cells wrap inside their column, and the header repeats on a new page.
    pub fn table(&mut self, cols: &[Col<'_>], rows: &[Vec<String>]) {
        let total: f32 = cols.iter().map(|c| c.share).sum::<f32>().max(f32::EPSILON);
        let widths: Vec<f32> = cols
            .iter()
            .map(|c| c.share / total * Self::width())
            .collect();
        let size = 9.0;
        let line = size * LEADING;
        let header: Vec<String> = cols.iter().map(|c| c.header.to_string()).collect();
        self.room(line * 3.0);
        self.row(cols, &widths, &header, b"F2", size, true);
        for r in rows {
            let cells = self.cells(&widths, r, size);
            let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * line + 4.0;
            if self.y - height < MARGIN + 14.0 {
                self.break_page();
                self.row(cols, &widths, &header, b"F2", size, true);
            }
            self.row(cols, &widths, r, b"F1", size, false);
        }
        self.y -= 8.0;
    }

    /// Each cell's lines; a cell taller than a page (less a header row) is cut, ending in "…".
    fn cells(&self, widths: &[f32], row: &[String], size: f32) -> Vec<Vec<Vec<u8>>> {
        let most = ((Self::page_height() - 2.0 * (size * LEADING + 4.0)) / (size * LEADING))
            .floor()
            .max(1.0) as usize;
        widths
            .iter()
            .zip(row)
            .map(|(w, cell)| {
                let mut lines = wrap(&latin1(cell), size, w - 6.0);
                if lines.len() > most {
                    lines.truncate(most);
                    if let Some(last) = lines.last_mut() {
                        last.push(0x85);
                        *last = fit(last, size, w - 6.0);
                    }
                }
                lines
            })
            .collect()
    }

    fn row(
        &mut self,
        cols: &[Col<'_>],
        widths: &[f32],
        row: &[String],
        font: &[u8],
        size: f32,
        shaded: bool,
    ) {
        let line = size * LEADING;
        let cells = self.cells(widths, row, size);
        let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * line + 4.0;
        if shaded {
            self.page.set_fill_gray(0.90);
            self.page
                .rect(MARGIN, self.y - height, Self::width(), height);
            self.page.fill_nonzero();
            self.page.set_fill_gray(0.0);
        }
        let mut x = MARGIN;
        for ((col, w), lines) in cols.iter().zip(widths).zip(&cells) {
            let mut y = self.y - 2.0;
            for l in lines {
                y -= size;
                let tx = match col.align {
                    Align::Left => x + 3.0,
                    Align::Right => x + w - 3.0 - text_width(l, size),
                };
                self.text(tx, y, font, size, l);
                y -= size * (LEADING - 1.0);
            }
            x += w;
        }
        self.y -= height;
        self.page.set_stroke_gray(0.75);
        self.page.set_line_width(0.5);
        self.page.move_to(MARGIN, self.y);
        self.page.line_to(MARGIN + Self::width(), self.y);
        self.page.stroke();
    }

    /// A horizontal bar chart: one bar per item, scaled to `max`, its value written beside it.
    pub fn bars(&mut self, items: &[(String, f64, String)], max: f64) {
        let size = 8.5;
        let bar = 11.0;
        let gap = 5.0;
        let label_w = Self::width() * 0.38;
        let value_w = 44.0;
        let span = Self::width() - label_w - value_w;
        for (label, value, shown) in items {
            self.room(bar + gap);
            self.y -= bar + gap;
            let bytes = latin1(label);
            let fitted = fit(&bytes, size, label_w - 6.0);
            self.text(MARGIN, self.y + 2.5, b"F1", size, &fitted);
            let len = if max > 0.0 {
                (value / max).clamp(0.0, 1.0) as f32 * span
            } else {
                0.0
            };
            self.page.set_fill_gray(0.93);
            self.page.rect(MARGIN + label_w, self.y, span, bar);
            self.page.fill_nonzero();
            self.page.set_fill_rgb(0.10, 0.36, 0.30);
            self.page.rect(MARGIN + label_w, self.y, len, bar);
            self.page.fill_nonzero();
            self.page.set_fill_gray(0.0);
            self.text(
                MARGIN + label_w + span + 4.0,
                self.y + 2.5,
                b"F2",
                size,
                &latin1(shown),
            );
        }
        self.y -= 10.0;
    }

    /// A line chart of series over the same points of `x` (an unknown value has no point; the
    /// line joins the known ones), scaled between `lo` and `hi`, with its legend underneath.
    pub fn lines(&mut self, x: &[String], series: &[(String, Vec<Option<f64>>)], lo: f64, hi: f64) {
        const COLOURS: [(f32, f32, f32); 3] =
            [(0.04, 0.33, 0.58), (0.75, 0.22, 0.17), (0.10, 0.43, 0.31)];
        let size = 8.0;
        let height = 110.0;
        let left = MARGIN + 30.0;
        let width = Self::width() - 40.0;
        self.room(height + 40.0);
        let top = self.y - 6.0;
        let bottom = top - height;
        let span = (hi - lo).max(1e-9);
        let y_of = |v: f64| bottom + ((v - lo) / span).clamp(0.0, 1.0) as f32 * height;
        self.page.set_line_width(0.4);
        self.page.set_stroke_gray(0.8);
        for k in 0..=4 {
            let v = lo + span * f64::from(k) / 4.0;
            let y = y_of(v);
            self.page.move_to(left, y);
            self.page.line_to(left + width, y);
            self.page.stroke();
            let label = latin1(&format!("{v:.0}"));
            let tx = left - 4.0 - text_width(&label, size);
            self.text(tx, y - 2.5, b"F1", size, &label);
        }
        let step = if x.len() > 1 {
            width / (x.len() - 1) as f32
        } else {
            0.0
        };
        for (i, l) in x.iter().enumerate() {
            let label = latin1(l);
            let tx = left + i as f32 * step - text_width(&label, size) / 2.0;
            self.text(tx, bottom - 11.0, b"F1", size, &label);
        }
        for (k, (_, values)) in series.iter().enumerate() {
            let (r, g, b) = COLOURS[k % COLOURS.len()];
            self.page.set_stroke_rgb(r, g, b);
            self.page.set_fill_rgb(r, g, b);
            self.page.set_line_width(1.5);
            let points: Vec<(f32, f32)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((left + i as f32 * step, y_of((*v)?))))
                .collect();
            for (i, (px, py)) in points.iter().enumerate() {
                if i == 0 {
                    self.page.move_to(*px, *py);
                } else {
                    self.page.line_to(*px, *py);
                }
            }
            if points.len() > 1 {
                self.page.stroke();
            }
            for (px, py) in &points {
                self.page.rect(px - 2.0, py - 2.0, 4.0, 4.0);
                self.page.fill_nonzero();
            }
        }
        self.page.set_fill_gray(0.0);
        let mut lx = left;
        let ly = bottom - 26.0;
        for (k, (name, _)) in series.iter().enumerate() {
            let (r, g, b) = COLOURS[k % COLOURS.len()];
            self.page.set_fill_rgb(r, g, b);
            self.page.rect(lx, ly + 2.0, 12.0, 3.0);
            self.page.fill_nonzero();
            self.page.set_fill_gray(0.0);
            let label = latin1(name);
            self.text(lx + 16.0, ly, b"F1", size, &label);
            lx += 28.0 + text_width(&label, size);
        }
        self.y = ly - 10.0;
    }

    /// Vertical space.
    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// The PDF, with "title - page i/n" at the foot of every page (ASCII, so the text stays
    /// searchable in the file: a string with other bytes is written in hex).
    pub fn finish(mut self) -> Vec<u8> {
        self.break_page();
        let n = self.pages.len();
        let pages: Vec<Content> = std::mem::take(&mut self.pages)
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                let foot = latin1(&format!("{} - {} {}/{}", self.title, self.footer, i + 1, n));
                let foot = fit(&foot, 7.5, Self::width());
                c.set_fill_gray(0.4);
                c.begin_text();
                c.set_font(Name(b"F1"), 7.5);
                c.next_line(MARGIN, MARGIN - 24.0);
                c.show(Str(&foot));
                c.end_text();
                c
            })
            .collect();
        write(A4.0, A4.1, &self.title, pages)
    }
}

/// Greedy word wrap of WinAnsi text to `width` points; a word longer than a line is broken
/// across lines.
fn wrap(text: &[u8], size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if text_width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone, broken into pieces that fit.
        for &b in word {
            if !line.is_empty() && text_width(&line, size) + text_width(&[b], size) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(b);
        }
    }
    lines.push(line);
    lines
}

/// `text` cut to `width` points, ending in "…" when cut.
fn fit(text: &[u8], size: f32, width: f32) -> Vec<u8> {
    if text_width(text, size) <= width {
        return text.to_vec();
    }
    let mut out = text.to_vec();
    while !out.is_empty() && text_width(&out, size) + text_width(&[0x85], size) > width {
        out.pop();
    }
    out.push(0x85);
    out
}

/// The PDF of `pages` (each drawn with fonts `F1` Helvetica and `F2` Helvetica-Bold).
fn write(w: f32, h: f32, title: &str, pages: Vec<Content>) -> Vec<u8> {
    let (catalog, tree, regular, bold, info) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let ids: Vec<(Ref, Ref)> = (0..pages.len() as i32)
        .map(|i| (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i)))
        .collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(p, _)| *p))
        .count(ids.len() as i32);
    for (page, content) in &ids {
        let mut pg = pdf.page(*page);
        pg.media_box(Rect::new(0.0, 0.0, w, h));
        pg.parent(tree);
        pg.contents(*content);
        {
            let mut resources = pg.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Name(b"F1"), regular);
            fonts.pair(Name(b"F2"), bold);
        }
        pg.finish();
    }
    for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id)
            .base_font(Name(name))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Cakap"));
    for ((_, content), c) in ids.iter().zip(pages) {
        pdf.stream(*content, &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_uses_winansi_for_dashes_and_quotes() {
        assert_eq!(latin1("Café ✓"), b"Caf\xe9 ?".to_vec());
        assert_eq!(latin1("a–b “c”"), b"a\x96b \x93c\x94".to_vec());
    }

    #[test]
    fn wrap_keeps_lines_inside_the_width() {
        let text =
            latin1("Survei Kepuasan Masyarakat dilaksanakan sekurang-kurangnya sekali setahun");
        let lines = wrap(&text, 10.0, 120.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 120.0));
        let joined: Vec<u8> = lines.join(&b' ');
        assert_eq!(joined, text);
    }

    #[test]
    fn long_words_break_and_tall_cells_are_cut() {
        let long = latin1(&"x".repeat(300));
        let lines = wrap(&long, 10.0, 100.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 100.0));
        assert_eq!(lines.concat(), long, "nothing lost");
        let mut d = Document::new("T", "hal");
        let huge = "kata ".repeat(5000);
        d.table(
            &[Col::left("A", 1.0), Col::left("B", 1.0)],
            &[vec![huge.clone(), "b".into()], vec!["c".into(), "d".into()]],
        );
        let pdf = d.finish();
        let text = String::from_utf8_lossy(&pdf);
        let n: usize = text
            .split("/Count ")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse().ok())
            .expect("a page count");
        assert!(
            n <= 2,
            "a cell taller than a page is cut, not spilled: {n} pages"
        );
    }

    #[test]
    fn a_long_document_flows_over_pages_with_numbers() {
        let mut d = Document::new("Laporan", "Halaman");
        d.title("Laporan Uji", 16.0);
        for i in 0..40 {
            d.heading(&format!("Bagian {i}"));
            d.paragraph(
                "Kalimat yang cukup panjang untuk dibungkus menjadi beberapa baris di halaman A4.",
            );
        }
        d.table(
            &[Col::left("Unsur", 3.0), Col::right("NRR", 1.0)],
            &(0..80)
                .map(|i| vec![format!("Unsur {i}"), "3,21".into()])
                .collect::<Vec<_>>(),
        );
        d.bars(&[("Persyaratan".into(), 3.2, "3,20".into())], 4.0);
        let pdf = d.finish();
        let text = String::from_utf8_lossy(&pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(text.contains("Halaman 1/"), "numbered");
        assert!(text.contains("Bagian 39"));
        assert!(text.contains("Unsur 79"));
        let n: usize = text
            .split("/Count ")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse().ok())
            .expect("a page count");
        assert!(n >= 3, "{n} pages");
    }
}
