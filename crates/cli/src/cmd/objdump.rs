//! `weft objdump IN -h|-x|-d|-s [-j SECTION] [--json]`: a module's bytes as
//! `wasm-objdump` shows them, so that a wabt user can diff the two where
//! they overlap: `-h` the section table (as `weft dump`), `-x` each
//! section's items, `-d` every instruction of every body with its byte
//! offset, its bytes and its function's name, `-s` each section's bytes in
//! hex, `-j` one section only.
//!
//! The disassembly decodes the code section once, with a
//! [`weft_parser::CodeHook`] whose sink records each instruction and the
//! offset of its opcode (the decoder's own positions, so the offsets are
//! the module's); an instruction's bytes run to the next one's offset. The
//! names come from the name section, else from exports, else from imports
//! (`module.field`), which is `wasm-objdump`'s order. A text module is
//! shown as weft encodes it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use weft_ast::*;
use weft_parser::{Bodies, CodeHook, InstrSink, SectionFrame};

use super::{Error, FeatureArgs, dump};

/// Arguments of `weft objdump`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example: weft objdump -d module.wasm -j Code",
    disable_help_flag = true
)]
pub struct ObjdumpArgs {
    /// The modules to show, one after the other: binary or text (shown as
    /// weft encodes it), `-` for standard input.
    #[arg(required = true)]
    pub(crate) inputs: Vec<PathBuf>,
    /// Section headers: each section's range, size and item count.
    #[arg(short = 'h', long = "headers")]
    pub(crate) headers: bool,
    /// Section details: each section's items.
    #[arg(short = 'x', long)]
    pub(crate) details: bool,
    /// Disassemble function bodies: each instruction with its offset.
    #[arg(short = 'd', long)]
    pub(crate) disassemble: bool,
    /// Section contents in hex, with their bytes as ASCII.
    #[arg(short = 's', long = "full-contents")]
    pub(crate) contents: bool,
    /// Show only this section (`Type`, `Code`, ..., or a custom section's
    /// name), compared without case.
    #[arg(short = 'j', long = "section", value_name = "SECTION")]
    pub(crate) section: Option<String>,
    /// One JSON object instead of text: `sections`, and with -x
    /// `details`, with -d `functions` (each instruction's offset, bytes
    /// and text), with -s `contents`.
    #[arg(long)]
    pub(crate) json: bool,
    /// Proposals to accept (default: `all`, every encoding weft knows).
    #[command(flatten)]
    pub(crate) features: FeatureArgs,
    /// Print help (`-h` shows section headers).
    #[arg(long, action = clap::ArgAction::Help)]
    pub(crate) help: Option<bool>,
}

/// Runs `weft objdump`.
pub fn run(args: ObjdumpArgs) -> Result<(), Error> {
    if !(args.headers || args.details || args.disassemble || args.contents) {
        return Err(Error::Usage(
            "objdump: give at least one of -h (headers), -x (details), -d (disassembly), \
             -s (contents)"
                .into(),
        ));
    }
    let features = args.features.decoding()?;
    if let [input] = &args.inputs[..] {
        return show(&args, input, features);
    }
    // Every file is shown, as wasm-objdump does, each failure said as it
    // comes; any failure fails the command.
    let mut failed = false;
    for input in &args.inputs {
        if let Err(e) = show(&args, input, features) {
            eprintln!("error: {e}");
            failed = true;
        }
    }
    if failed { Err(Error::Exit(1)) } else { Ok(()) }
}

/// Shows one module as `args` ask.
fn show(args: &ObjdumpArgs, input: &Path, features: Features) -> Result<(), Error> {
    let mut bytes = super::read(input)?;
    if !super::is_binary(input, &bytes) || !bytes.starts_with(b"\0asm") {
        bytes = super::decode(input, &bytes, features)?.encode();
    }
    let (frames, framing_error) = weft_parser::section_frames(&bytes);
    let mut hook = Recorder::default();
    let decoded = match framing_error {
        Some(e) => Err(e),
        None => weft_parser::parse_with_hook(&bytes, features, &mut hook),
    };
    let module = decoded.as_ref().ok();
    let chosen = |f: &SectionFrame| {
        args.section
            .as_deref()
            .is_none_or(|want| frame_name(f).eq_ignore_ascii_case(want))
    };
    if let Some(want) = &args.section
        && !frames.iter().any(&chosen)
        && decoded.is_ok()
    {
        return Err(Error::Usage(format!(
            "{}: no section named `{want}`",
            input.display()
        )));
    }
    let view = View {
        bytes: &bytes,
        frames: &frames,
        module,
        bodies: &hook.bodies,
        code_end: frames
            .iter()
            .find(|f| f.id == SectionId::Code as u8)
            .map_or(bytes.len(), |f| f.range.end),
    };
    let name = input.display().to_string();
    // wasm-objdump names the file by its last component.
    let short = input
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
    if args.json {
        let mut out = serde_json::Map::new();
        out.insert("file".into(), json!(name));
        out.insert("sections".into(), view.sections_json(&chosen));
        if args.details
            && let Some(m) = module
        {
            out.insert("details".into(), json!(details_lines(m, &args.section)));
        }
        if args.disassemble && args.section.as_deref().is_none_or(is_code) {
            out.insert("functions".into(), view.functions_json());
        }
        if args.contents {
            out.insert("contents".into(), view.contents_json(&chosen));
        }
        if let Err(e) = &decoded {
            out.insert("error".into(), json!(e.to_string()));
            out.insert("offset".into(), json!(e.offset()));
        }
        super::emit(format_args!("{}\n", Value::Object(out)))?;
    } else {
        let mut out = format!("\n{short}:\tfile format wasm 0x1\n");
        if args.headers {
            out.push_str("\nSections:\n\n");
            for f in frames.iter().filter(|f| chosen(f)) {
                dump::section_line(&mut out, f, module);
            }
        }
        if args.details
            && let Some(m) = module
        {
            out.push_str("\nSection Details:\n\n");
            for line in details_lines(m, &args.section) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        if args.contents {
            view.contents(&mut out, &chosen);
        }
        if args.disassemble && args.section.as_deref().is_none_or(is_code) {
            out.push_str("\nCode Disassembly:\n\n");
            view.disassembly(&mut out);
        }
        super::emit(format_args!("{out}"))?;
    }
    decoded.map(|_| ()).map_err(|source| Error::Binary {
        path: input.to_path_buf(),
        source,
    })
}

fn is_code(name: &str) -> bool {
    name.eq_ignore_ascii_case("code")
}

/// The name `-j` matches: a custom section's own name, else its kind's.
fn frame_name(f: &SectionFrame) -> &str {
    match SectionId::from_code(f.id) {
        Some(SectionId::Custom) => f.custom_name.as_deref().unwrap_or("Custom"),
        Some(id) => dump::section_name(id),
        None => "Unknown",
    }
}

/// `weft dump`'s details, one line each, limited to one section's block
/// when `-j` names one (a block starts at a heading such as `Type[3]:`; a
/// custom section's block names the section on its next line).
fn details_lines(m: &Module, section: &Option<String>) -> Vec<String> {
    let mut text = String::new();
    dump::details(&mut text, m);
    let mut blocks: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        match blocks.last_mut() {
            Some(block) if line.starts_with(' ') => block.push(line.to_string()),
            _ => blocks.push(vec![line.to_string()]),
        }
    }
    let Some(want) = section else {
        return blocks.concat();
    };
    let named = format!(" - name: {want:?}");
    blocks
        .into_iter()
        .filter(|block| {
            let heading = block[0].split(['[', ':']).next().unwrap_or("");
            if heading == "Custom" {
                want.eq_ignore_ascii_case("custom")
                    || block.get(1).is_some_and(|l| l.starts_with(&named))
            } else {
                heading.eq_ignore_ascii_case(want)
            }
        })
        .flatten()
        .collect()
}

/// One decoded body: where it starts (its size field) and each
/// instruction with the offset of its opcode.
struct Body {
    at: usize,
    instrs: Vec<(usize, Instr)>,
}

/// Records every body's instructions with their offsets as the parser
/// decodes them.
#[derive(Default)]
struct Recorder {
    bodies: Vec<Body>,
}

impl InstrSink for Recorder {
    fn body(&mut self, _: u32, _: &[Locals], offset: usize) {
        self.bodies.push(Body {
            at: offset,
            instrs: Vec::new(),
        });
    }

    fn instr(&mut self, instr: &Instr, offset: usize) {
        if let Some(b) = self.bodies.last_mut() {
            b.instrs.push((offset, instr.clone()));
        }
    }
}

impl CodeHook for Recorder {
    fn code(&mut self, _: &Module, bodies: &mut Bodies<'_, '_>) -> Result<(), weft_parser::Error> {
        while bodies.next(self)? {}
        Ok(())
    }
}

/// What the views are made from.
struct View<'a> {
    bytes: &'a [u8],
    frames: &'a [SectionFrame],
    module: Option<&'a Module>,
    bodies: &'a [Body],
    /// Where the code section ends: the last body's last byte before it.
    code_end: usize,
}

/// One disassembled line: the offset, the bytes, and the text after `|`.
struct Line {
    offset: usize,
    bytes: std::ops::Range<usize>,
    text: String,
}

/// One disassembled function.
struct FuncLines {
    index: u32,
    name: Option<String>,
    /// Where its local declarations start (after the size field).
    at: usize,
    lines: Vec<Line>,
}

/// Deepest indentation shown (in levels): a line's length stays bounded
/// however deep the blocks nest (wabt's own output of the corpus goes to
/// about 100 levels).
const MAX_INDENT: usize = 1024;

/// Most bytes shown on a line, as `wasm-objdump` shows them.
const SHOWN_BYTES: usize = 9;

impl View<'_> {
    fn sections_json(&self, chosen: &dyn Fn(&SectionFrame) -> bool) -> Value {
        let list: Vec<Value> = self
            .frames
            .iter()
            .filter(|f| chosen(f))
            .map(|f| {
                let id = SectionId::from_code(f.id);
                let mut o = json!({
                    "id": f.id,
                    "name": frame_name(f),
                    "start": f.range.start,
                    "end": f.range.end,
                    "size": f.range.len(),
                });
                if let (Some(id), Some(m)) = (id, self.module)
                    && id != SectionId::Custom
                    && id != SectionId::Start
                {
                    o["count"] = json!(dump::count(m, id));
                }
                o
            })
            .collect();
        Value::Array(list)
    }

    fn contents(&self, out: &mut String, chosen: &dyn Fn(&SectionFrame) -> bool) {
        for f in self.frames.iter().filter(|f| chosen(f)) {
            let kind = SectionId::from_code(f.id).map_or("Unknown", dump::section_name);
            let _ = write!(out, "\nContents of section {kind}:\n");
            hex_lines(out, self.bytes, f.range.clone());
        }
    }

    fn contents_json(&self, chosen: &dyn Fn(&SectionFrame) -> bool) -> Value {
        let list: Vec<Value> = self
            .frames
            .iter()
            .filter(|f| chosen(f))
            .map(|f| {
                let hex: String = self.bytes[f.range.clone()]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                json!({"name": frame_name(f), "start": f.range.start, "hex": hex})
            })
            .collect();
        Value::Array(list)
    }

    fn disassembly(&self, out: &mut String) {
        for f in self.functions() {
            let _ = write!(out, "{:06x} func[{}]", f.at, f.index);
            if let Some(name) = &f.name {
                let _ = write!(out, " <{name}>");
            }
            out.push_str(":\n");
            for line in &f.lines {
                // Nine bytes a row, the text on the first; the rest of a
                // long instruction's bytes on rows of their own.
                let shown = &self.bytes[line.bytes.clone()];
                let mut rows = shown.chunks(SHOWN_BYTES);
                let first = rows.next().unwrap_or(&[]);
                byte_row(out, line.offset, first);
                let _ = writeln!(out, "| {}", line.text);
                let mut at = line.offset + first.len();
                for row in rows {
                    byte_row(out, at, row);
                    out.push_str("| \n");
                    at += row.len();
                }
            }
        }
    }

    fn functions_json(&self) -> Value {
        let list: Vec<Value> = self
            .functions()
            .into_iter()
            .map(|f| {
                let lines: Vec<Value> = f
                    .lines
                    .iter()
                    .map(|l| {
                        let hex: String = self.bytes[l.bytes.clone()]
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect();
                        json!({"offset": l.offset, "bytes": hex, "text": l.text.trim_start()})
                    })
                    .collect();
                json!({"index": f.index, "name": f.name, "offset": f.at, "lines": lines})
            })
            .collect();
        Value::Array(list)
    }

    /// Every decoded body as lines: its local declarations, then its
    /// instructions indented by block depth.
    fn functions(&self) -> Vec<FuncLines> {
        let Some(m) = self.module else {
            return Vec::new();
        };
        let names = FuncNames::new(m);
        let base = m.num_imports(ExternKind::Func);
        let mut funcs = Vec::with_capacity(self.bodies.len());
        for (i, body) in self.bodies.iter().enumerate() {
            let index = base + i as u32;
            let end = self
                .bodies
                .get(i + 1)
                .map_or(self.code_end, |next| next.at)
                .min(self.bytes.len());
            let mut r = ByteReader {
                bytes: self.bytes,
                pos: body.at,
            };
            let size = r.leb().unwrap_or(0);
            let at = r.pos;
            let end = end.min(at.saturating_add(size as usize));
            let mut lines = Vec::new();
            let first_instr = body.instrs.first().map_or(end, |(o, _)| *o);
            let params = m
                .func_type_idx(index)
                .and_then(|t| m.func_type(t))
                .map_or(0, |t| t.params.len() as u64);
            let locals = m.funcs.get(i).map(|f| f.locals.as_slice()).unwrap_or(&[]);
            // The declarations' own bytes: the count, then each
            // (count, type), whose end is the next one's start.
            let _ = r.leb();
            let mut starts: Vec<usize> = Vec::with_capacity(locals.len() + 1);
            for _ in locals {
                starts.push(r.pos);
                let _ = r.leb();
                r.skip_valtype();
            }
            starts.push(first_instr);
            let mut next_local = params;
            for (j, l) in locals.iter().enumerate() {
                let range = starts[j]..starts[j + 1].max(starts[j]);
                let text = match l.count {
                    1 => format!("local[{next_local}] type={}", l.ty),
                    n => format!(
                        "local[{next_local}..{}] type={}",
                        next_local + u64::from(n).saturating_sub(1),
                        l.ty
                    ),
                };
                next_local += u64::from(l.count);
                lines.push(Line {
                    offset: range.start,
                    bytes: range,
                    text,
                });
            }
            let mut depth: usize = 0;
            for (k, (offset, instr)) in body.instrs.iter().enumerate() {
                let stop = body.instrs.get(k + 1).map_or(end, |(o, _)| *o).max(*offset);
                let indent = match instr {
                    Instr::Else | Instr::Catch { .. } | Instr::CatchAll => depth.saturating_sub(1),
                    Instr::End | Instr::Delegate { .. } => {
                        depth = depth.saturating_sub(1);
                        depth
                    }
                    _ => depth,
                };
                let mut text = "  ".repeat(indent.min(MAX_INDENT));
                instr_text(&mut text, instr, &names);
                lines.push(Line {
                    offset: *offset,
                    bytes: *offset..stop.min(self.bytes.len()),
                    text,
                });
                if matches!(
                    instr,
                    Instr::Block { .. }
                        | Instr::Loop { .. }
                        | Instr::If { .. }
                        | Instr::Try { .. }
                        | Instr::TryTable { .. }
                ) {
                    depth += 1;
                }
            }
            funcs.push(FuncLines {
                index,
                name: names.get(index).map(str::to_string),
                at,
                lines,
            });
        }
        funcs
    }
}

/// Names of one index space as `wasm-objdump` finds them: the name
/// section, else an export's name, else an import's `module.field`.
struct SpaceNames<'a> {
    section: &'a NameMap,
    exported: std::collections::HashMap<u32, &'a str>,
    imported: Vec<String>,
}

impl<'a> SpaceNames<'a> {
    fn new(m: &'a Module, kind: ExternKind, section: &'a NameMap) -> Self {
        let mut exported = std::collections::HashMap::new();
        for e in m.exports.iter().filter(|e| e.kind == kind) {
            exported.entry(e.index).or_insert(e.name.as_str());
        }
        let imported = m
            .imports
            .iter()
            .filter(|i| i.desc.kind() == kind)
            .map(|i| format!("{}.{}", i.module, i.name))
            .collect();
        SpaceNames {
            section,
            exported,
            imported,
        }
    }

    fn get(&self, index: u32) -> Option<&str> {
        Names::get(self.section, index)
            .or_else(|| self.exported.get(&index).copied())
            .or_else(|| self.imported.get(index as usize).map(String::as_str))
    }
}

/// The names a disassembly shows: functions (in headers and calls),
/// globals and the tables of `call_indirect`, as `wasm-objdump` does.
struct FuncNames<'a> {
    funcs: SpaceNames<'a>,
    globals: SpaceNames<'a>,
    tables: SpaceNames<'a>,
}

impl<'a> FuncNames<'a> {
    fn new(m: &'a Module) -> Self {
        FuncNames {
            funcs: SpaceNames::new(m, ExternKind::Func, &m.names.funcs),
            globals: SpaceNames::new(m, ExternKind::Global, &m.names.globals),
            tables: SpaceNames::new(m, ExternKind::Table, &m.names.tables),
        }
    }

    fn get(&self, index: u32) -> Option<&str> {
        self.funcs.get(index)
    }
}

/// Reads LEB128 numbers and value types from a body's bytes, never
/// failing (a short input ends the read).
struct ByteReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl ByteReader<'_> {
    fn leb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            if shift < 64 {
                value |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A value type: one byte, or a reference type's prefix and its heap
    /// type (an index, or an exact prefix and an index).
    fn skip_valtype(&mut self) {
        let Some(&b) = self.bytes.get(self.pos) else {
            return;
        };
        self.pos += 1;
        if b == 0x63 || b == 0x64 {
            if self.bytes.get(self.pos) == Some(&0x62) {
                self.pos += 1;
            }
            let _ = self.leb();
        }
    }
}

/// The mnemonic and immediates, as `wasm-objdump` spells them where they
/// agree (integers as unsigned, floats in hex, a memory argument as
/// `align offset`, a call's callee with its name).
fn instr_text(out: &mut String, instr: &Instr, names: &FuncNames<'_>) {
    match instr {
        Instr::CallIndirect { ty, table } | Instr::ReturnCallIndirect { ty, table } => {
            let _ = write!(out, "{} {table}", instr.name());
            if let Some(n) = names.tables.get(*table) {
                let _ = write!(out, " <{n}>");
            }
            let _ = write!(out, " (type {ty})");
        }
        // wabt names the callee of a call, not the function of ref.func.
        Instr::RefFunc { func } => {
            let _ = write!(out, "ref.func {func}");
        }
        _ => instr_by_table(out, instr, names),
    }
}

/// One immediate, by its kind in the instruction table.
macro_rules! od_imm {
    ($o:ident, $names:ident, FuncIdx, $f:ident) => {{
        let _ = write!($o, " {}", $f);
        if let Some(n) = $names.get(*$f) {
            let _ = write!($o, " <{n}>");
        }
    }};
    // wabt shows an i32 as unsigned, an i64 as signed.
    ($o:ident, $names:ident, I32, $f:ident) => {{
        let _ = write!($o, " {}", *$f as u32);
    }};
    ($o:ident, $names:ident, F32, $f:ident) => {{
        $o.push(' ');
        hex_float($o, u64::from($f.0), 32);
    }};
    ($o:ident, $names:ident, F64, $f:ident) => {{
        $o.push(' ');
        hex_float($o, $f.0, 64);
    }};
    ($o:ident, $names:ident, BlockType, $f:ident) => {
        block_type($o, $f)
    };
    ($o:ident, $names:ident, BrTableArg, $f:ident) => {{
        for t in $f.targets.iter() {
            let _ = write!($o, " {t}");
        }
        let _ = write!($o, " {}", $f.default);
    }};
    ($o:ident, $names:ident, SelectTypes, $f:ident) => {{
        for t in &$f.0 {
            let _ = write!($o, " {t}");
        }
    }};
    ($o:ident, $names:ident, GlobalIdx, $f:ident) => {{
        let _ = write!($o, " {}", $f);
        if let Some(n) = $names.globals.get(*$f) {
            let _ = write!($o, " <{n}>");
        }
    }};
    // Sixteen bytes as four little-endian 32-bit lanes.
    ($o:ident, $names:ident, V128Arg, $f:ident) => {
        lanes($o, &$f.0)
    };
    ($o:ident, $names:ident, ShuffleArg, $f:ident) => {
        lanes($o, &$f.0)
    };
    ($o:ident, $names:ident, TryTableArg, $f:ident) => {{
        block_type($o, &$f.ty);
        for c in &$f.catches {
            let _ = write!($o, " {c:?}");
        }
    }};
    ($o:ident, $names:ident, BrOnCastArg, $f:ident) => {{
        let _ = write!($o, " {} {} {}", $f.label, $f.from, $f.to);
    }};
    ($o:ident, $names:ident, HeapType, $f:ident) => {{
        let _ = write!($o, " {}", $f);
    }};
    ($o:ident, $names:ident, MemArg1, $f:ident) => {
        mem_arg($o, $f)
    };
    ($o:ident, $names:ident, MemArg2, $f:ident) => {
        mem_arg($o, $f)
    };
    ($o:ident, $names:ident, MemArg4, $f:ident) => {
        mem_arg($o, $f)
    };
    ($o:ident, $names:ident, MemArg8, $f:ident) => {
        mem_arg($o, $f)
    };
    ($o:ident, $names:ident, MemArg16, $f:ident) => {
        mem_arg($o, $f)
    };
    // Indices, counts, lanes and bytes: plain numbers.
    ($o:ident, $names:ident, $other:ident, $f:ident) => {{
        let _ = write!($o, " {}", $f);
    }};
}

macro_rules! define_od {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        /// Writes an instruction as the table gives it: the mnemonic, then
        /// each immediate in binary order.
        // `names` is only read by rows with a function or global index.
        #[allow(unused_variables)]
        fn instr_by_table(out: &mut String, instr: &Instr, names: &FuncNames<'_>) {
            match instr {
                $( $(
                    Instr::$name $({ $($field),* })? => {
                        out.push_str($text);
                        $( $( od_imm!(out, names, $imm, $field); )* )?
                    }
                )* )*
            }
        }
    };
}

weft_ast::for_each_instr!(define_od);

fn block_type(out: &mut String, ty: &BlockType) {
    match ty {
        BlockType::Empty => {}
        BlockType::Val(v) => {
            let _ = write!(out, " {v}");
        }
        BlockType::Func(t) => {
            let _ = write!(out, " type[{t}]");
        }
    }
}

fn lanes(out: &mut String, bytes: &[u8; 16]) {
    for lane in bytes.chunks_exact(4) {
        let v = u32::from_le_bytes([lane[0], lane[1], lane[2], lane[3]]);
        let _ = write!(out, " {v:#010x}");
    }
}

fn mem_arg(out: &mut String, m: &MemArg) {
    let (align, offset, memory) = (m.align, m.offset, m.memory);
    if memory != 0 {
        let _ = write!(out, " {memory}");
    }
    let _ = write!(out, " {align} {offset}");
}

/// A float by its bits in C's `%a` form, as `wasm-objdump` prints it:
/// `0x1.8p-1`, `0x0p+0`, `-0x1p+0`, `inf`, `nan`, `nan:0x200000`.
fn hex_float(out: &mut String, bits: u64, width: u32) {
    let (exp_bits, man_bits) = if width == 32 { (8u32, 23u32) } else { (11, 52) };
    let sign = bits >> (width - 1) & 1 == 1;
    let exp = ((bits >> man_bits) & ((1 << exp_bits) - 1)) as i64;
    let mut man = bits & ((1u64 << man_bits) - 1);
    if sign {
        out.push('-');
    }
    if exp == (1 << exp_bits) - 1 {
        if man == 0 {
            out.push_str("inf");
        } else if man == 1 << (man_bits - 1) {
            out.push_str("nan");
        } else {
            let _ = write!(out, "nan:{man:#x}");
        }
        return;
    }
    if exp == 0 && man == 0 {
        out.push_str("0x0p+0");
        return;
    }
    let bias = (1i64 << (exp_bits - 1)) - 1;
    let mut e = exp - bias;
    let subnormal = exp == 0;
    if subnormal {
        // Subnormal: normalized, as C's %a does.
        e = 1 - bias;
        while man & (1 << man_bits) == 0 {
            man <<= 1;
            e -= 1;
        }
        man &= (1 << man_bits) - 1;
    }
    // The fraction in whole hex digits, trailing zeros dropped.
    let digits = man_bits.div_ceil(4);
    let frac = man << (digits * 4 - man_bits);
    let mut hex = format!("{frac:0width$x}", width = digits as usize);
    while hex.ends_with('0') {
        hex.pop();
    }
    if hex.is_empty() && !subnormal {
        let _ = write!(out, "0x1p{e:+}");
    } else {
        let _ = write!(out, "0x1.{hex}p{e:+}");
    }
}

/// A disassembly row's offset and bytes, padded to the `|` column.
fn byte_row(out: &mut String, offset: usize, row: &[u8]) {
    let _ = write!(out, " {offset:06x}: ");
    for b in row {
        let _ = write!(out, "{b:02x} ");
    }
    for _ in row.len()..SHOWN_BYTES {
        out.push_str("   ");
    }
}

/// Section contents as `wasm-objdump -s` shows them: the offset, 16 bytes
/// in groups of two, and the bytes as ASCII (`.` where not printable).
fn hex_lines(out: &mut String, bytes: &[u8], range: std::ops::Range<usize>) {
    let mut at = range.start;
    while at < range.end {
        let row = &bytes[at..range.end.min(at + 16)];
        let _ = write!(out, "{at:07x}:");
        for i in 0..16 {
            if i % 2 == 0 {
                out.push(' ');
            }
            match row.get(i) {
                Some(b) => {
                    let _ = write!(out, "{b:02x}");
                }
                None => out.push_str("  "),
            }
        }
        out.push_str("  ");
        for &b in row {
            out.push(if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            });
        }
        out.push('\n');
        at += 16;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hf(bits: u64, width: u32) -> String {
        let mut s = String::new();
        hex_float(&mut s, bits, width);
        s
    }

    #[test]
    fn floats_print_as_c_hex() {
        assert_eq!(hf(0.5f64.to_bits(), 64), "0x1p-1");
        assert_eq!(hf(0.75f64.to_bits(), 64), "0x1.8p-1");
        assert_eq!(hf(0f64.to_bits(), 64), "0x0p+0");
        assert_eq!(hf((-1f64).to_bits(), 64), "-0x1p+0");
        assert_eq!(hf(1.25f32.to_bits().into(), 32), "0x1.4p+0");
        // wabt keeps the point of a normalized subnormal.
        assert_eq!(hf(f32::from_bits(1).to_bits().into(), 32), "0x1.p-149");
        assert_eq!(hf(f64::INFINITY.to_bits(), 64), "inf");
        assert_eq!(hf(0x7fc0_0000, 32), "nan");
        assert_eq!(hf(0xffc0_0001, 32), "-nan:0x400001");
    }

    #[test]
    fn hex_rows_match_wasm_objdump() {
        let mut s = String::new();
        hex_lines(&mut s, b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0", 8..14);
        assert_eq!(
            s,
            "0000008: 0104 0160 0000                           ...`..\n"
        );
    }
}
