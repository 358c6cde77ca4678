//! Markdown to safe HTML: rendered with pulldown-cmark and filtered as crates.md describes
//! (pulldown-cmark issue #1074), since the notebook is untrusted input: raw HTML becomes escaped
//! text; a link keeps its address only for `http:`, `https:`, `mailto:` and in-page (`#…`)
//! targets, any other (`javascript:`, `file:`, `smb:`, `ms-msdt:`, `search-ms:`,
//! protocol-relative `//host`, relative paths, in any spelling) becomes plain text; an image is
//! never loaded, only its text is shown.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Most HTML one text cell may render to; a larger result is replaced by a notice.
pub const MARKDOWN_HTML_BYTES: usize = 2 << 20;

/// Renders Markdown to safe HTML.
pub fn markdown_to_html(md: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Whether each open link kept its address (links nest only through images' text).
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(md, opts).filter_map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = safe_link(&dest_url);
            links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(ev),
        Event::Start(Tag::Image { .. }) => Some(Event::Text(CowStr::Borrowed("[bild: "))),
        Event::End(TagEnd::Image) => Some(Event::Text(CowStr::Borrowed("]"))),
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    if out.len() > MARKDOWN_HTML_BYTES {
        return format!(
            "<p class=\"error\">Texten är för lång för rapporten (mer än {} MB HTML) och visas inte.</p>",
            MARKDOWN_HTML_BYTES >> 20
        );
    }
    out
}

/// Whether a link target may stay a link: `http:`, `https:`, `mailto:` or in-page `#…`,
/// judged as a browser would read it (leading blanks and control characters ignored, any
/// case; pulldown-cmark has already decoded entities).
pub fn safe_link(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with('#')
        || ["http://", "https://", "mailto:"]
            .iter()
            .any(|s| cleaned.starts_with(s))
            && !cleaned.contains('\\')
}
