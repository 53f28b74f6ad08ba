//! The counter poster: A4, the unit's name, a large QR code of its survey form and the
//! address written out, for citizens to scan while they wait.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::learning::certificates::{draw_qr, latin1, text_width};

/// The poster of a unit whose survey is at `url`.
pub fn poster(issuer: &str, unit_name: &str, url: &str) -> Vec<u8> {
    let (w, h) = (595.0_f32, 842.0_f32);
    let (catalog, tree, page, regular, bold, content, info) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
        Ref::new(7),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut pg = pdf.page(page);
    pg.media_box(Rect::new(0.0, 0.0, w, h));
    pg.parent(tree);
    pg.contents(content);
    {
        let mut resources = pg.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
    }
    pg.finish();
    for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id)
            .base_font(Name(name))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(&format!(
            "Survei Kepuasan Masyarakat - {unit_name}"
        )))
        .producer(TextStr("Cakap"));
    let mut c = Content::new();
    c.set_fill_rgb(0.10, 0.36, 0.30);
    c.rect(0.0, h - 120.0, w, 120.0);
    c.fill_nonzero();
    let centred = |c: &mut Content, text: &str, font: &[u8], size: f32, y: f32| {
        let bytes = latin1(text);
        // Long unit names shrink to fit the page.
        let mut size = size;
        while size > 10.0 && text_width(&bytes, size) > w - 80.0 {
            size -= 1.0;
        }
        let x = (w - text_width(&bytes, size)) / 2.0;
        c.begin_text();
        c.set_font(Name(font), size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    };
    c.set_fill_gray(1.0);
    centred(&mut c, &issuer.to_uppercase(), b"F2", 13.0, h - 48.0);
    centred(&mut c, "SURVEI KEPUASAN MASYARAKAT", b"F2", 26.0, h - 88.0);
    c.set_fill_gray(0.0);
    centred(&mut c, unit_name, b"F2", 22.0, h - 170.0);
    centred(
        &mut c,
        "Bagaimana layanan kami hari ini? Pindai kode ini dengan ponsel Anda.",
        b"F1",
        14.0,
        h - 205.0,
    );
    let size = 330.0_f32;
    draw_qr(&mut c, url, (w - size) / 2.0, h - 235.0 - size, size);
    c.set_fill_gray(0.15);
    centred(&mut c, url, b"F1", 12.0, h - 270.0 - size);
    centred(
        &mut c,
        "Satu menit, sembilan pertanyaan, tanpa nama. Jawaban Anda dipakai untuk",
        b"F1",
        12.0,
        h - 305.0 - size,
    );
    centred(
        &mut c,
        "memperbaiki layanan (PermenPANRB 14/2017).",
        b"F1",
        12.0,
        h - 322.0 - size,
    );
    pdf.stream(content, &c.finish());
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_poster_is_a_pdf_with_the_unit_and_the_address() {
        let pdf = poster(
            "Kabupaten Aceh Barat Daya",
            "Dinas Kependudukan dan Pencatatan Sipil",
            "https://cakap.example/survei/DISDUKCAPIL",
        );
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("Dinas Kependudukan dan Pencatatan Sipil"));
        assert!(text.contains("https://cakap.example/survei/DISDUKCAPIL"));
        // The QR code is drawn: many small squares.
        assert!(text.matches(" re").count() > 200);
    }
}
