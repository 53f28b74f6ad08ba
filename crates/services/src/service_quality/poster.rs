//! The counter poster: A4, the unit's name, a large QR code of its survey form and the
//! address written out, for citizens to scan while they wait.

use pdf_writer::{Content, Name, Str};

use crate::pdf::{draw_qr, latin1, one_page_pdf, text_width};

/// The poster of a unit whose survey is at `url`.
pub fn poster(issuer: &str, unit_name: &str, url: &str) -> Vec<u8> {
    let (w, h) = (595.0_f32, 842.0_f32);
    let title = format!("Survei Kepuasan Masyarakat - {unit_name}");
    one_page_pdf(w, h, &title, |c: &mut Content| {
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
        centred(c, &issuer.to_uppercase(), b"F2", 13.0, h - 48.0);
        centred(c, "SURVEI KEPUASAN MASYARAKAT", b"F2", 26.0, h - 88.0);
        c.set_fill_gray(0.0);
        centred(c, unit_name, b"F2", 22.0, h - 170.0);
        centred(
            c,
            "Bagaimana layanan kami hari ini? Pindai kode ini dengan ponsel Anda.",
            b"F1",
            14.0,
            h - 205.0,
        );
        let size = 330.0_f32;
        draw_qr(c, url, (w - size) / 2.0, h - 235.0 - size, size);
        c.set_fill_gray(0.15);
        centred(c, url, b"F1", 12.0, h - 270.0 - size);
        centred(
            c,
            "Satu menit, sembilan pertanyaan, tanpa nama. Jawaban Anda dipakai untuk",
            b"F1",
            12.0,
            h - 305.0 - size,
        );
        centred(
            c,
            "memperbaiki layanan (PermenPANRB 14/2017).",
            b"F1",
            12.0,
            h - 322.0 - size,
        );
    })
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
