//! Text encodings of the files analysts have: UTF-8 (with or without BOM), Windows-1252
//! (ISO-8859-1 as browsers read it), and UTF-16 LE/BE with BOM (Excel's "Unicode text").
//!
//! Detection follows the WHATWG order: a BOM decides; otherwise valid UTF-8 is UTF-8, and
//! anything else is Windows-1252, the encoding of Swedish Excel's "CSV (semikolonavgränsad)".
//! UTF-8 and Windows-1252 are parsed as raw bytes (the delimiters and quotes are ASCII in both),
//! and only the fields a plan uses are decoded; UTF-16 is transcoded to UTF-8 first.

use std::borrow::Cow;

use serde::Serialize;

/// The text encoding of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "UTF-8 BOM")]
    Utf8Bom,
    #[serde(rename = "Windows-1252")]
    Windows1252,
    #[serde(rename = "UTF-16LE")]
    Utf16Le,
    #[serde(rename = "UTF-16BE")]
    Utf16Be,
}

impl TextEncoding {
    /// The name as shown to users and written in JSON.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 BOM",
            TextEncoding::Windows1252 => "Windows-1252",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }

    /// Parses a user's choice: `utf-8`, `windows-1252`, `latin1`, `iso-8859-1`, `utf-16le` …
    pub fn from_label(label: &str) -> Option<Self> {
        let l = label.trim().to_ascii_lowercase().replace('_', "-");
        Some(match l.as_str() {
            "utf-8" | "utf8" => TextEncoding::Utf8,
            "utf-8-bom" | "utf-8 bom" | "utf8-bom" => TextEncoding::Utf8Bom,
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1"
            | "ansi" => TextEncoding::Windows1252,
            "utf-16le" | "utf-16" | "unicode" => TextEncoding::Utf16Le,
            "utf-16be" => TextEncoding::Utf16Be,
            _ => return None,
        })
    }

    /// Length of this encoding's byte order mark.
    pub fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            TextEncoding::Utf8 | TextEncoding::Windows1252 => 0,
        }
    }

    /// Whether the bytes must be transcoded to UTF-8 before parsing.
    pub fn needs_transcoding(self) -> bool {
        matches!(self, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
    }
}

/// Detects the encoding from the start of a file. `complete` says the sample is the whole file,
/// so a multi-byte character cut at its end is an error rather than a cut.
pub fn detect(sample: &[u8], complete: bool) -> TextEncoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    // UTF-16 without BOM: ASCII text leaves every other byte zero.
    if sample.len() >= 4 {
        let pairs = sample.len() / 2;
        let zero_odd = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        if zero_odd * 10 >= pairs * 9 && zero_even == 0 {
            return TextEncoding::Utf16Le;
        }
        if zero_even * 10 >= pairs * 9 && zero_odd == 0 {
            return TextEncoding::Utf16Be;
        }
    }
    match std::str::from_utf8(sample) {
        Ok(_) => TextEncoding::Utf8,
        // A character cut by the end of the sample is not evidence against UTF-8.
        Err(e) if !complete && e.error_len().is_none() => TextEncoding::Utf8,
        // Bytes that are not UTF-8 next to characters that are: a UTF-8 file with a few cells
        // pasted from elsewhere. Windows-1252 text almost never forms valid multi-byte UTF-8,
        // so the valid characters win and the bad cells are reported one by one.
        Err(_) if mostly_utf8(sample) => TextEncoding::Utf8,
        Err(_) => TextEncoding::Windows1252,
    }
}

/// At least as many valid multi-byte UTF-8 characters as invalid sequences, and some.
fn mostly_utf8(sample: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in sample.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid > 0 && valid >= invalid
}

/// Decodes one field of a file parsed as raw bytes (UTF-8 or Windows-1252). `None` when a UTF-8
/// file holds bytes that are not UTF-8.
pub fn decode_field(bytes: &[u8], encoding: TextEncoding) -> Option<Cow<'_, str>> {
    match encoding {
        TextEncoding::Windows1252 if !bytes.is_ascii() => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Some(text)
        }
        _ => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
    }
}

/// Streaming UTF-16 → UTF-8 conversion that keeps a character split across chunks intact.
pub struct Transcoder {
    decoder: encoding_rs::Decoder,
}

impl Transcoder {
    /// A transcoder for `encoding`; the BOM, if any, must already be removed.
    pub fn new(encoding: TextEncoding) -> Self {
        let enc = match encoding {
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8,
        };
        Transcoder {
            decoder: enc.new_decoder_without_bom_handling(),
        }
    }

    /// Appends the UTF-8 text of `input` to `out`. `last` marks the end of the file.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, last: bool) {
        let mut read = 0;
        loop {
            let need = self
                .decoder
                .max_utf8_buffer_length(input.len() - read)
                .unwrap_or(input.len() * 3 + 16);
            let start = out.len();
            out.resize(start + need, 0);
            let (result, r, written, _) =
                self.decoder
                    .decode_to_utf8(&input[read..], &mut out[start..], last);
            out.truncate(start + written);
            read += r;
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_decides() {
        assert_eq!(detect(b"\xEF\xBB\xBFkommun", true), TextEncoding::Utf8Bom);
        assert_eq!(detect(b"\xFF\xFEk\0o\0", true), TextEncoding::Utf16Le);
        assert_eq!(detect(b"\xFE\xFF\0k\0o", true), TextEncoding::Utf16Be);
    }

    #[test]
    fn latin1_is_windows_1252_and_cut_utf8_is_utf8() {
        assert_eq!(detect("Umeå".as_bytes(), true), TextEncoding::Utf8);
        assert_eq!(detect(b"Ume\xE5", true), TextEncoding::Windows1252);
        // "å" is C3 A5; a sample cut after C3 is still UTF-8 unless it is the whole file.
        assert_eq!(detect(b"Ume\xC3", false), TextEncoding::Utf8);
        assert_eq!(detect(b"Ume\xC3", true), TextEncoding::Windows1252);
        // UTF-8 with one cell pasted from a Latin-1 file stays UTF-8; the cell is reported.
        assert_eq!(detect(b"Ume\xC3\xA5;Ume\xE5", true), TextEncoding::Utf8);
    }

    #[test]
    fn fields_decode_by_encoding() {
        assert_eq!(
            decode_field(b"Ume\xE5", TextEncoding::Windows1252).as_deref(),
            Some("Umeå")
        );
        assert_eq!(decode_field(b"Ume\xE5", TextEncoding::Utf8), None);
        assert_eq!(
            decode_field("Umeå".as_bytes(), TextEncoding::Utf8).as_deref(),
            Some("Umeå")
        );
    }

    #[test]
    fn utf16_split_across_chunks() {
        let text = "kön;ålder\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut t = Transcoder::new(TextEncoding::Utf16Le);
        let mut out = Vec::new();
        for chunk in bytes.chunks(3) {
            t.push(chunk, &mut out, false);
        }
        t.push(&[], &mut out, true);
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }
}
