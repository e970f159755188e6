//! The `(@producers ...)` and `(@dylink.0 ...)` annotations (wasm-tools'
//! forms for the two tool-convention sections), and where custom sections
//! written at the end of a module go.
//!
//! Both annotations become plain custom sections ([`CustomKind::Raw`]) of
//! the bytes their [`weft_ast::custom`] view encodes: the module has one
//! representation of a custom section whichever way it was written.
//! Placement follows wasm-tools: `producers` after the last section,
//! `dylink.0` before the first.
//!
//! Trailing custom sections (those placed after the last section the
//! module writes, by `(after last)`, by an anchor at or past it, or by
//! `@producers`) keep their text order, and the name section made from
//! `$id`s goes before them: the order of a toolchain's output (names,
//! then producers and the rest), so that printing a binary and parsing
//! the text gives back its bytes. (wasm-tools' encoder groups trailing
//! sections by anchor and writes names last.)

use crate::cursor::PResult;
use crate::lexer::Token;
use crate::module::ModuleParser;
use weft_ast::custom::{
    DYLINK0_SECTION, Dylink0, Dylink0Subsection, PRODUCERS_SECTION, Producers, SYMBOL_FLAGS,
};
use weft_ast::*;

impl ModuleParser<'_> {
    /// Parses `(@producers (language|processed-by|sdk "name" "version")*)`;
    /// the cursor is at the `(@producers` token.
    pub(crate) fn producers_annotation(&mut self) -> PResult<()> {
        self.c.bump();
        let mut p = Producers::default();
        while !self.c.peek_rparen() {
            let paren = self.c.peek();
            if self.c.lparen().is_err() {
                return Err(self.annot_error("@producers", None, "unexpected token"));
            }
            let field = match self.c.keyword_at(0) {
                Some(f) if Producers::FIELDS.contains(&f) => f,
                _ => {
                    return Err(self.annot_error(
                        "@producers",
                        paren,
                        "expected `language`, `processed-by` or `sdk`",
                    ));
                }
            };
            self.c.bump();
            let name = self.annot_name("@producers")?;
            let version = self.annot_name("@producers")?;
            self.annot_rparen("@producers")?;
            p.push(field, name, version);
        }
        self.annot_rparen("@producers")?;
        self.m.customs.push(Custom {
            place: Place::After(SectionId::Data),
            kind: CustomKind::Raw {
                name: PRODUCERS_SECTION.to_string(),
                data: p.encode(),
            },
        });
        Ok(())
    }

    /// Parses `(@dylink.0 subsection*)`; the cursor is at the `(@dylink.0`
    /// token.
    pub(crate) fn dylink_annotation(&mut self) -> PResult<()> {
        const A: &str = "@dylink.0";
        self.c.bump();
        let mut d = Dylink0::default();
        while !self.c.peek_rparen() {
            let paren = self.c.peek();
            if self.c.lparen().is_err() {
                return Err(self.annot_error(A, None, "unexpected token"));
            }
            match self.c.keyword_at(0) {
                Some("mem-info") => {
                    self.c.bump();
                    let mut sizes = [0u32; 4];
                    for (kw, at) in [("memory", 0), ("table", 2)] {
                        if self.c.eat_sexpr(kw) {
                            sizes[at] = self.c.u32()?;
                            sizes[at + 1] = self.c.u32()?;
                            self.annot_rparen(A)?;
                        }
                    }
                    let [memory_size, memory_align, table_size, table_align] = sizes;
                    d.subsections.push(Dylink0Subsection::MemInfo {
                        memory_size,
                        memory_align,
                        table_size,
                        table_align,
                    });
                }
                Some(kw @ ("needed" | "runtime-path")) => {
                    self.c.bump();
                    let mut list = Vec::new();
                    while !self.c.peek_rparen() {
                        list.push(self.annot_name(A)?);
                    }
                    d.subsections.push(if kw == "needed" {
                        Dylink0Subsection::Needed(list)
                    } else {
                        Dylink0Subsection::RuntimePath(list)
                    });
                }
                Some("export-info") => {
                    self.c.bump();
                    let name = self.annot_name(A)?;
                    let flags = self.symbol_flags()?;
                    d.push_export_info(name, flags);
                }
                Some("import-info") => {
                    self.c.bump();
                    let module = self.annot_name(A)?;
                    let field = self.annot_name(A)?;
                    let flags = self.symbol_flags()?;
                    d.push_import_info(module, field, flags);
                }
                Some("target-arch") => {
                    self.c.bump();
                    let arch = self.annot_name(A)?;
                    d.subsections.push(Dylink0Subsection::TargetArch(arch));
                }
                _ => {
                    return Err(self.annot_error(A, paren, "unknown subsection"));
                }
            }
            self.annot_rparen(A)?;
        }
        self.annot_rparen(A)?;
        self.m.customs.push(Custom {
            place: Place::First,
            kind: CustomKind::Raw {
                name: DYLINK0_SECTION.to_string(),
                data: d.encode(),
            },
        });
        Ok(())
    }

    /// Symbol flags up to the `)`: names of [`SYMBOL_FLAGS`] and numbers,
    /// or-ed together.
    fn symbol_flags(&mut self) -> PResult<u32> {
        let mut flags = 0;
        while !self.c.peek_rparen() {
            if let Some(kw) = self.c.keyword_at(0)
                && let Some((_, bit)) = SYMBOL_FLAGS.iter().find(|(n, _)| *n == kw)
            {
                self.c.bump();
                flags |= bit;
            } else if self.c.is_int_at(0) {
                flags |= self.c.u32()?;
            } else {
                return Err(self.annot_error("@dylink.0", None, "unknown symbol flag"));
            }
        }
        Ok(flags)
    }

    /// A UTF-8 string inside an annotation.
    fn annot_name(&mut self, annot: &str) -> PResult<String> {
        if !self.c.peek_string() {
            return Err(self.annot_error(annot, None, "string expected"));
        }
        self.c.name()
    }

    /// The `)` closing an annotation or one of its parts.
    fn annot_rparen(&mut self, annot: &str) -> PResult<()> {
        if self.c.peek_rparen() {
            self.c.bump();
            Ok(())
        } else {
            Err(self.annot_error(annot, None, "unexpected token"))
        }
    }

    /// `@name annotation: what` at a token (or at the next one; at the
    /// end of the text, `unexpected end of input` whatever was due).
    fn annot_error(&self, annot: &str, at: Option<Token>, what: &str) -> crate::Error {
        let what = if at.is_none() && self.c.at_end() {
            "unexpected end of input"
        } else {
            what
        };
        let msg = format!("{annot} annotation: {what}");
        match at {
            Some(t) => self.c.error_at(t, msg),
            None => self.c.error(msg),
        }
    }
}

/// Gives the custom sections after the last written section one place
/// (after it), in text order, and puts the name section (when there is
/// one and it is not placed yet) right before them.
pub(crate) fn place_trailing(m: &mut Module) {
    let Some(last) = m.last_section() else {
        if !m.names.is_empty() {
            m.customs.push(Custom {
                place: Place::After(SectionId::Data),
                kind: CustomKind::Names,
            });
        }
        return;
    };
    let place = Place::After(last);
    let mut first_trailing = None;
    for i in 0..m.customs.len() {
        let c = m.customs[i].place;
        if c != Place::First && m.is_trailing(c) {
            m.customs[i].place = place;
            first_trailing.get_or_insert(i);
        }
    }
    if !m.names.is_empty() {
        let at = first_trailing.unwrap_or(m.customs.len());
        m.customs.insert(
            at,
            Custom {
                place,
                kind: CustomKind::Names,
            },
        );
    }
}
