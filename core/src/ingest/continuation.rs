//! What the reader of a later byte range of a text file takes from the reader of the file's
//! start (issue 13, [`super::ranges`]): the dialect and the header, sendable to a worker.

use super::dialect::Dialect;

/// What a reader of a later byte range of a file takes from the reader of its start: the
/// dialect and the header ([`super::TextReader::continuation`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(into = "ContinuationWire", try_from = "ContinuationWire")]
pub struct Continuation {
    pub(crate) dialect: Dialect,
    pub(crate) columns: Vec<String>,
}

/// A [`Continuation`] as sent to a worker (the dialect's JSON form is for people and leaves
/// out what a reader needs).
#[derive(serde::Serialize, serde::Deserialize)]
struct ContinuationWire {
    delimiter: u8,
    quote: u8,
    has_header: bool,
    title_rows: u32,
    comma: bool,
    encoding: String,
    columns: Vec<String>,
}

impl From<Continuation> for ContinuationWire {
    fn from(c: Continuation) -> Self {
        let d = c.dialect;
        ContinuationWire {
            delimiter: d.delimiter,
            quote: d.quote,
            has_header: d.has_header,
            title_rows: d.title_rows,
            comma: d.decimal == super::dialect::Decimal::Comma,
            encoding: d.encoding.name().to_owned(),
            columns: c.columns,
        }
    }
}

impl TryFrom<ContinuationWire> for Continuation {
    type Error = String;
    fn try_from(w: ContinuationWire) -> Result<Self, String> {
        use super::encoding::TextEncoding as E;
        let encoding = [E::Utf8, E::Utf8Bom, E::Windows1252, E::Utf16Le, E::Utf16Be]
            .into_iter()
            .find(|e| e.name() == w.encoding)
            .ok_or_else(|| format!("unknown encoding '{}'", w.encoding))?;
        Ok(Continuation {
            dialect: Dialect {
                delimiter: w.delimiter,
                quote: w.quote,
                has_header: w.has_header,
                title_rows: w.title_rows,
                decimal: if w.comma {
                    super::dialect::Decimal::Comma
                } else {
                    super::dialect::Decimal::Point
                },
                encoding,
            },
            columns: w.columns,
        })
    }
}
