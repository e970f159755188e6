//! `weft strip IN -o OUT [--delete NAME]... | [--keep NAME]...`: removes
//! custom sections (all of them, only those named, or all but those named)
//! and copies every other byte as it is: the header and each section kept
//! are the input's own bytes (id, size field as encoded, contents), so a
//! stripped module differs from its input by the removed sections alone.
//!
//! Only the sections' framing is read ([`weft_parser::section_frames`]),
//! so a module whose contents weft does not decode strips as well; a
//! framing error (a size beyond the end) is an error and nothing is
//! written.

use std::path::PathBuf;

use super::Error;

/// Arguments of `weft strip`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft strip app.wasm -o app.stripped.wasm --keep name")]
pub struct StripArgs {
    /// The binary module, `-` for standard input.
    input: PathBuf,
    /// Where to write the stripped module, `-` for standard output.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Remove only the custom sections of this name (repeatable).
    #[arg(long, value_name = "NAME", conflicts_with = "keep")]
    delete: Vec<String>,
    /// Keep the custom sections of this name, remove every other
    /// (repeatable).
    #[arg(long, value_name = "NAME")]
    keep: Vec<String>,
}

/// Runs `weft strip`.
pub fn run(args: StripArgs) -> Result<(), Error> {
    let bytes = super::read(&args.input)?;
    let stripped = strip(&bytes, &|name| {
        if !args.delete.is_empty() {
            args.delete.iter().any(|d| Some(d.as_str()) == name)
        } else {
            !args.keep.iter().any(|k| Some(k.as_str()) == name)
        }
    })
    .map_err(|source| Error::Binary {
        path: args.input.clone(),
        source,
    })?;
    super::write(&args.output, &stripped)
}

/// The module without the custom sections `remove` picks (given each
/// one's name, `None` when it is not UTF-8), every other byte as it was.
pub fn strip(
    bytes: &[u8],
    remove: &dyn Fn(Option<&str>) -> bool,
) -> Result<Vec<u8>, weft_parser::Error> {
    let (frames, error) = weft_parser::section_frames(bytes);
    if let Some(e) = error {
        return Err(e);
    }
    let mut out = Vec::with_capacity(bytes.len());
    // The header: magic number and version.
    let mut at = 8.min(bytes.len());
    out.extend_from_slice(&bytes[..at]);
    for f in &frames {
        // A section's bytes run from the end of the one before (its id and
        // size field) to the end of its contents.
        let whole = &bytes[at..f.range.end];
        at = f.range.end;
        if f.id == 0 && remove(f.custom_name.as_deref()) {
            continue;
        }
        out.extend_from_slice(whole);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_custom_sections_only() {
        // A custom "a" (size 2), a type section, a custom "b" with a
        // padded (two-byte) size field.
        let bytes = b"\0asm\x01\0\0\0\x00\x02\x01a\x01\x04\x01\x60\0\0\x00\x83\x00\x01bx";
        assert_eq!(
            strip(bytes, &|_| true).unwrap(),
            b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0"
        );
        assert_eq!(
            strip(bytes, &|n| n == Some("a")).unwrap(),
            b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x00\x83\x00\x01bx"
        );
        assert_eq!(strip(bytes, &|_| false).unwrap(), bytes);
        assert!(strip(b"\0asm\x01\0\0\0\x00\x09", &|_| true).is_err());
        assert!(strip(b"(module)", &|_| true).is_err());
    }
}
