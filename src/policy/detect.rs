//! Which front end reads a policy file: decided by its content, checked against its extension.
//!
//! Content first, since a file is what it holds: `%PDF-` at the start is a PDF; a ZIP archive
//! holding `word/document.xml` is a Word document; text whose first markup is `<!DOCTYPE
//! html`, `<html`, `<head` or `<body` (after a BOM, white space, comments or an XML
//! declaration) is an HTML page; other text is Markdown (plain text is Markdown without
//! markup). The extension then must agree:
//!
//! | extension | accepted content |
//! |---|---|
//! | `.md`, `.markdown`, `.txt`, `.text` | Markdown or text (an HTML page, a PDF or a ZIP is refused) |
//! | `.html`, `.htm`, `.xhtml` | an HTML page, or text that starts with a tag (a fragment) |
//! | `.docx` | a Word document |
//! | `.pdf` | a PDF |
//! | anything else, or none | whatever the content is |
//!
//! A contradiction is refused ([`Error::Document`], exit 2) rather than guessed around: a
//! policy read with the wrong front end gives a redline of markup, which looks like a
//! material change. Old `.doc` files (OLE) are refused with a hint to save as `.docx`.
use crate::error::{Error, Result};
use crate::policy::SourceFormat;

/// What the bytes look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Pdf,
    Docx,
    /// A ZIP archive that is not a Word document (e.g. `.odt`, `.xlsx`).
    OtherZip,
    /// An OLE compound file (legacy `.doc`).
    Ole,
    HtmlPage,
    /// Text starting with a tag, not a full page.
    TagFirst,
    Text,
}

/// The format of a policy file named `name` with content `bytes`, or why it cannot be read.
pub fn detect(name: &str, bytes: &[u8]) -> Result<SourceFormat> {
    let content = sniff(bytes);
    let ext = extension(name);
    let refuse = |what: String, hint: &str| {
        Err(Error::Document {
            path: name.into(),
            what,
            hint: hint.to_string(),
            source: None,
        })
    };
    match content {
        Content::Ole => {
            return refuse(
                "this is a legacy Word (.doc) or other OLE file, which handover cannot read".into(),
                "open it in Word or LibreOffice and save it as .docx, then try again",
            )
        }
        Content::OtherZip => {
            return refuse(
                "this is a ZIP archive without word/document.xml, so not a Word document".into(),
                "save the policy as .docx, HTML, PDF or Markdown and try again",
            )
        }
        _ => {}
    }
    let by_content = match content {
        Content::Pdf => SourceFormat::Pdf,
        Content::Docx => SourceFormat::Docx,
        Content::HtmlPage => SourceFormat::Html,
        _ => SourceFormat::Markdown,
    };
    let Some(ext) = ext else {
        return Ok(by_content);
    };
    let expected = match ext.as_str() {
        "md" | "markdown" | "txt" | "text" => SourceFormat::Markdown,
        "html" | "htm" | "xhtml" => SourceFormat::Html,
        "docx" => SourceFormat::Docx,
        "pdf" => SourceFormat::Pdf,
        _ => return Ok(by_content),
    };
    if expected == SourceFormat::Html && content == Content::TagFirst {
        return Ok(SourceFormat::Html);
    }
    if expected == by_content {
        return Ok(expected);
    }
    let found = match content {
        Content::Pdf => "a PDF",
        Content::Docx => "a Word document",
        Content::HtmlPage => "an HTML page",
        _ => "plain text or Markdown",
    };
    let claimed = match expected {
        SourceFormat::Markdown => "Markdown or text",
        SourceFormat::Html => "an HTML page",
        SourceFormat::Docx => "a Word document",
        SourceFormat::Pdf => "a PDF",
    };
    let suffix = match by_content {
        SourceFormat::Markdown => ".md",
        SourceFormat::Html => ".html",
        SourceFormat::Docx => ".docx",
        SourceFormat::Pdf => ".pdf",
    };
    refuse(
        format!("the name says {claimed} (.{ext}) but the content is {found}"),
        &format!(
            "rename the file to end in {suffix} if it is {found}, or export it again as {claimed}"
        ),
    )
}

/// The lower-case extension of the last path component (after a `rev:` prefix from git).
fn extension(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

fn sniff(bytes: &[u8]) -> Content {
    let head = &bytes[..bytes.len().min(1024)];
    let trimmed = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = trimmed
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if trimmed[start..].starts_with(b"%PDF-") {
        return Content::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if zip_has_document(bytes) {
            Content::Docx
        } else {
            Content::OtherZip
        };
    }
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return Content::Ole;
    }
    markup_start(head)
}

fn zip_has_document(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .is_ok_and(|archive| archive.index_for_name("word/document.xml").is_some())
}

/// Looks past a BOM, white space, comments and declarations for the first tag.
fn markup_start(head: &[u8]) -> Content {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return Content::TagFirst,
            }
        } else if rest.starts_with("<?") {
            match rest.find("?>") {
                Some(end) => rest = rest[end + 2..].trim_start(),
                None => return Content::TagFirst,
            }
        } else {
            break;
        }
    }
    let lower = rest
        .get(..rest.len().min(16))
        .unwrap_or("")
        .to_ascii_lowercase();
    if ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        Content::HtmlPage
    } else if rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        Content::TagFirst
    } else {
        Content::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_and_extension() {
        let page = b"<!-- saved -->\n<!DOCTYPE html><html><body><p>x</p></body></html>";
        assert_eq!(detect("a.html", page).unwrap(), SourceFormat::Html);
        assert_eq!(detect("a", page).unwrap(), SourceFormat::Html);
        assert_eq!(
            detect("a.htm", b"<p>fragment</p>").unwrap(),
            SourceFormat::Html
        );
        assert_eq!(
            detect("a.md", b"<p>inline html</p>").unwrap(),
            SourceFormat::Markdown
        );
        assert_eq!(
            detect("rev:dir.v2/a.md", b"# T").unwrap(),
            SourceFormat::Markdown
        );
        assert_eq!(detect("a.pdf", b"%PDF-1.7\n").unwrap(), SourceFormat::Pdf);
        let err = detect("a.md", page).unwrap_err().to_string();
        assert!(
            err.contains("the name says Markdown or text (.md) but the content is an HTML page"),
            "{err}"
        );
        assert!(err.contains("rename the file to end in .html"), "{err}");
        let err = detect("a.pdf", b"just text").unwrap_err().to_string();
        assert!(
            err.contains("(.pdf) but the content is plain text"),
            "{err}"
        );
        let err = detect("a.html", b"no markup here").unwrap_err().to_string();
        assert!(err.contains("an HTML page (.html)"), "{err}");
        assert!(detect("a.docx", b"PK\x03\x04garbage").is_err());
    }
}
