//! Evidence files for the demo's assessment-center results: a one-page PDF report per result,
//! so the history shows downloadable evidence as it would after a real assessment.

/// A small valid PDF (one page, Helvetica) with `lines` of text.
pub fn report_pdf(lines: &[String]) -> Vec<u8> {
    // Text is limited to printable ASCII; PDF string delimiters are escaped.
    let escape = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c
                } else {
                    '?'
                }
            })
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect()
    };
    let mut text = String::from("BT /F1 16 Tf 56 780 Td (");
    text.push_str(&escape(lines.first().map_or("", String::as_str)));
    text.push_str(") Tj /F1 11 Tf");
    for line in lines.iter().skip(1) {
        text.push_str(&format!(" 0 -20 Td ({}) Tj", escape(line)));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_a_pdf_with_a_correct_cross_reference() {
        let pdf = report_pdf(&["Laporan (uji)".into(), "Nama: Cut Nyak Dhien".into()]);
        assert_eq!(
            cakap_services::files::evidence_type(&pdf),
            Some("application/pdf")
        );
        let text = String::from_utf8(pdf.clone()).expect("ascii");
        assert!(text.contains("(Laporan \\(uji\\)) Tj"));
        // Every xref entry points at the start of its object.
        let xref = text.find("xref\n").expect("xref");
        for (i, line) in text[xref..].lines().skip(3).take(5).enumerate() {
            let at: usize = line[..10].parse().expect("offset");
            assert!(
                text[at..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert_eq!(start, xref);
    }
}
