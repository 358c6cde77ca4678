//! A table as an Excel workbook (`.xlsx`): one sheet, a header row in bold, the result columns
//! (numerator, denominator, value, lower, upper) as numbers and every other field as text (so a
//! kommun code `0180` keeps its zero). It is written from the table's own CSV, after disclosure
//! control, so a masked value is the same empty cell as in the CSV and its reason says why.
//!
//! Why not rust_xlsxwriter: `../shared/crates.md` measured it at 303 KB gzipped in wasm32, and
//! the app's release wasm was 1 286 932 bytes gzipped (`cargo xtask dist`), so it would take the
//! app past its 1.5 MB budget. A workbook of one sheet of plain cells needs only six small XML
//! parts in a ZIP archive stored without compression (ECMA-376 Part 1 §§ 8, 18.3; PKWARE's
//! APPNOTE.TXT 6.3.9 §§ 4.3–4.4 for the archive; CRC-32 as ISO 3309), which this writes: with
//! the PNG export it adds 8.8 KB to the gzipped wasm (`cargo xtask dist`, 1 346 095 → 1 354 848
//! bytes).
//!
//! The `http://schemas.openxmlformats.org/…` strings below are XML namespace names and
//! relationship types, which ECMA-376 requires verbatim: identifiers, never addresses that
//! anything fetches (the page's CSP forbids other origins anyway, and the workbook is a
//! download, opened offline by Excel).

use samsyn_core::export::csv::plain_records;
use samsyn_core::export::UNIT_ROW_COLUMNS;

/// The columns of a table's CSV that hold numbers Samsyn computed.
fn numeric(name: &str) -> bool {
    UNIT_ROW_COLUMNS[..5].contains(&name)
}

/// Text made safe inside XML: core's HTML escapes (valid XML too), without the characters
/// XML 1.0 forbids.
fn xml_text(s: &str) -> String {
    let allowed: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
        })
        .collect();
    samsyn_core::notebook::report::esc(&allowed)
}

/// A column's letters: 0 → A, 25 → Z, 26 → AA.
fn column_name(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not empty.
pub fn sheet_name(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .take(31)
        .collect();
    let name = name.trim().trim_matches('\'').to_owned();
    if name.is_empty() {
        "Tabell".to_owned()
    } else {
        name
    }
}

/// The worksheet XML of a plain CSV written by core's writer.
fn sheet_xml(csv: &str) -> String {
    let records = plain_records(csv);
    let header: Vec<String> = records
        .first()
        .map(|r| r.iter().map(|(t, _)| t.clone()).collect())
        .unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>\
         <sheetData>",
    );
    for (r, record) in records.iter().enumerate() {
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, (text, quoted)) in record.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            let is_number = r > 0
                && !quoted
                && header.get(c).is_some_and(|h| numeric(h))
                && text.parse::<f64>().is_ok_and(f64::is_finite);
            if text.is_empty() {
                continue;
            } else if is_number {
                xml.push_str(&format!("<c r=\"{at}\"><v>{text}</v></c>"));
            } else {
                // A text cell is never a formula, so the CSV's neutralising `'` goes.
                let shown = text
                    .strip_prefix('\'')
                    .filter(|rest| *quoted && rest.starts_with(['=', '+', '-', '@', '\t', '\r']))
                    .unwrap_or(text);
                let style = if r == 0 { " s=\"1\"" } else { "" };
                xml.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"{style}><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml_text(shown)
                ));
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

const WORKBOOK_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

/// Two cell formats: plain (0) and a bold header (1).
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
</styleSheet>";

fn workbook_xml(sheet: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        xml_text(sheet)
    )
}

/// CRC-32 (ISO 3309, the polynomial 0xEDB88320 reflected), as ZIP checks each part.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A ZIP archive of `files`, each stored (no compression). Sizes are far below ZIP's 4 GB.
fn zip_stored(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: &mut Vec<u8>, n: u16| v.extend_from_slice(&n.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, n: u32| v.extend_from_slice(&n.to_le_bytes());
    for (name, data) in files {
        let offset = out.len() as u32;
        let (crc, size) = (crc32(data), data.len() as u32);
        // Local file header: version 2.0, no flags, stored, 1980-01-01 00:00.
        le32(&mut out, 0x0403_4b50);
        for n in [20u16, 0, 0, 0, 0x21] {
            le16(&mut out, n);
        }
        for n in [crc, size, size] {
            le32(&mut out, n);
        }
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry.
        le32(&mut central, 0x0201_4b50);
        for n in [20u16, 20, 0, 0, 0, 0x21] {
            le16(&mut central, n);
        }
        for n in [crc, size, size] {
            le32(&mut central, n);
        }
        for n in [name.len() as u16, 0, 0, 0, 0] {
            le16(&mut central, n);
        }
        le32(&mut central, 0);
        le32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (at, size, count) = (out.len() as u32, central.len() as u32, files.len() as u16);
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    for n in [0u16, 0, count, count] {
        le16(&mut out, n);
    }
    le32(&mut out, size);
    le32(&mut out, at);
    le16(&mut out, 0);
    out
}

/// The workbook of a table's plain CSV, its sheet named after `title`.
pub fn table_xlsx(csv: &str, title: &str) -> Vec<u8> {
    let sheet = sheet_xml(csv);
    let workbook = workbook_xml(&sheet_name(title));
    zip_stored(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts of a stored archive, read back by its central directory.
    fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let end = bytes.len() - 22;
        assert_eq!(u32_at(end), 0x0605_4b50, "end of central directory");
        let (count, mut at) = (u16_at(end + 10), u32_at(end + 16) as usize);
        let mut files = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(at), 0x0201_4b50);
            let (crc, size) = (u32_at(at + 16), u32_at(at + 20) as usize);
            let name_len = u16_at(at + 28);
            let local = u32_at(at + 42) as usize;
            let name =
                String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).expect("name");
            let start = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let data = bytes[start..start + size].to_vec();
            assert_eq!(crc32(&data), crc, "{name}: its CRC");
            files.push((name, data));
            at += 46 + name_len;
        }
        files
    }

    #[test]
    fn crc32_is_the_standard_one() {
        // The check value of CRC-32/ISO-HDLC (the catalogue of parametrised CRC algorithms).
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn a_table_becomes_a_sheet_with_numbers_as_numbers_and_masks_as_in_the_csv() {
        let csv = "kommun,year,numerator,denominator,value,lower,upper,light,reason\n\
                   0180,2024,12,1000,12,6.2,20.96,green,Bättre än länet\n\
                   2480,2024,,,,,,grey,\"Visas inte (röjandeskydd, tröskel 5)\"\n\
                   \"'=HYPERLINK(\"\"x\"\")\",2024,-0.5,2,-25,,,red,a <b> & c\n";
        let bytes = table_xlsx(csv, "Fall: per kommun/år [2024]");
        let files = unzip(&bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml"
            ]
        );
        let text = |n: &str| {
            String::from_utf8(files.iter().find(|(f, _)| f == n).expect(n).1.clone())
                .expect("utf-8")
        };
        assert!(text("xl/workbook.xml").contains("<sheet name=\"Fall per kommunår 2024\""));
        let sheet = text("xl/worksheets/sheet1.xml");
        // The header: bold text.
        assert!(sheet.contains("<c r=\"C1\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">numerator</t></is></c>"));
        // A code stays text with its zero; numbers are numbers.
        assert!(sheet.contains(
            "<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">0180</t></is></c>"
        ));
        assert!(sheet.contains(
            "<c r=\"B2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">2024</t></is></c>"
        ));
        assert!(sheet.contains("<c r=\"C2\"><v>12</v></c><c r=\"D2\"><v>1000</v></c><c r=\"E2\"><v>12</v></c><c r=\"F2\"><v>6.2</v></c><c r=\"G2\"><v>20.96</v></c>"));
        // A masked row: no number cells at all, the reason as in the CSV.
        let row3 = sheet
            .split("<row r=\"3\">")
            .nth(1)
            .and_then(|r| r.split("</row>").next())
            .expect("row 3");
        assert!(!row3.contains("<v>"), "{row3}");
        assert!(row3.contains("<c r=\"I3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Visas inte (röjandeskydd, tröskel 5)</t></is></c>"));
        // A text that was neutralised for the CSV is the text itself (never a formula), escaped.
        assert!(sheet.contains("<t xml:space=\"preserve\">=HYPERLINK(&quot;x&quot;)</t>"));
        assert!(sheet.contains("<c r=\"C4\"><v>-0.5</v></c>"));
        assert!(sheet.contains("<t xml:space=\"preserve\">a &lt;b&gt; &amp; c</t>"));
        assert!(!sheet.contains("<f>"), "no formulas");
    }

    #[test]
    fn names_of_columns_and_sheets() {
        assert_eq!(
            [0, 25, 26, 27, 701, 702].map(column_name),
            ["A", "Z", "AA", "AB", "ZZ", "AAA"].map(String::from)
        );
        assert_eq!(sheet_name("  "), "Tabell");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
