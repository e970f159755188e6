//! `weft dump IN`: an overview of a module, in the spirit of
//! `wasm-objdump -x`: every section with its offset and size and the number
//! of items, then each section's items (types, imports, functions, tables,
//! memories, tags, globals, exports, start, segments, custom sections).
//! A text module is shown as weft encodes it. The section table comes from
//! the sections' framing alone, so it is shown even when a section's
//! contents are malformed (the error follows, and the exit status says so).
//! `--json` gives the same as `weft objdump -h -x --json`.

use std::fmt::Write as _;
use std::path::PathBuf;

use weft_ast::*;
use weft_parser::SectionFrame;

use super::{Error, FeatureArgs};

/// Arguments of `weft dump`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft dump module.wasm")]
pub struct DumpArgs {
    /// The module to show: binary or text (shown as weft encodes it), `-`
    /// for standard input.
    input: PathBuf,
    /// One JSON object instead of text: `sections` (id, name, start,
    /// end, size, count) and `details` (the text's detail lines), and
    /// `error`/`offset` when the module is malformed.
    #[arg(long)]
    json: bool,
    /// Proposals to accept (default: `all`, every encoding weft knows).
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft dump`.
pub fn run(args: DumpArgs) -> Result<(), Error> {
    if args.json {
        // `weft objdump -h -x --json` is the same overview.
        return super::objdump::run(super::objdump::ObjdumpArgs {
            inputs: vec![args.input],
            headers: true,
            details: true,
            disassemble: false,
            contents: false,
            section: None,
            json: true,
            features: args.features,
            help: None,
        });
    }
    let features = args.features.decoding()?;
    let mut bytes = super::read(&args.input)?;
    if !super::is_binary(&args.input, &bytes) || !bytes.starts_with(b"\0asm") {
        // Text, or a `.wasm` without the magic number (which `decode`
        // reports as such).
        bytes = super::decode(&args.input, &bytes, features)?.encode();
    }
    let name = args.input.display().to_string();
    let (frames, framing_error) = weft_parser::section_frames(&bytes);
    let decoded = match framing_error {
        Some(e) => Err(e),
        None => weft_parser::parse_with(&bytes, features),
    };
    super::emit(format_args!(
        "{}",
        render(&name, decoded.as_ref().ok(), &frames)
    ))?;
    decoded.map(|_| ()).map_err(|source| Error::Binary {
        path: args.input.clone(),
        source,
    })
}

/// The whole overview as text: the section table, and the details when
/// the module decoded.
pub fn render(file: &str, m: Option<&Module>, sections: &[SectionFrame]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{file}: file format wasm 0x1\n\nSections:\n");
    for frame in sections {
        section_line(&mut out, frame, m);
    }
    if let Some(m) = m {
        let _ = writeln!(out, "\nSection Details:\n");
        details(&mut out, m);
    }
    out
}

/// One line of the section table (`wasm-objdump -h`'s form): the name,
/// the contents' range and size, and the item count (or a custom
/// section's name, or the start function) when the module decoded.
pub(crate) fn section_line(out: &mut String, frame: &SectionFrame, m: Option<&Module>) {
    let id = SectionId::from_code(frame.id);
    let range = &frame.range;
    let _ = write!(
        out,
        "{:>9} start={:#010x} end={:#010x} (size={:#010x})",
        id.map_or("Unknown", section_name),
        range.start,
        range.end,
        range.len()
    );
    match (id, m) {
        (Some(SectionId::Custom), _) => {
            let name = frame.custom_name.as_deref().unwrap_or("?");
            let _ = writeln!(out, " {name:?}");
        }
        (Some(SectionId::Start), Some(m)) => {
            let _ = writeln!(out, " start: {}", m.start.unwrap_or(0));
        }
        (Some(id), Some(m)) => {
            let _ = writeln!(out, " count: {}", count(m, id));
        }
        _ => out.push('\n'),
    }
}

/// The name `wasm-objdump` gives a section.
pub(crate) fn section_name(id: SectionId) -> &'static str {
    match id {
        SectionId::Custom => "Custom",
        SectionId::Type => "Type",
        SectionId::Import => "Import",
        SectionId::Function => "Function",
        SectionId::Table => "Table",
        SectionId::Memory => "Memory",
        SectionId::Global => "Global",
        SectionId::Export => "Export",
        SectionId::Start => "Start",
        SectionId::Element => "Elem",
        SectionId::Code => "Code",
        SectionId::Data => "Data",
        SectionId::DataCount => "DataCount",
        SectionId::Tag => "Tag",
    }
}

fn custom_name(c: &Custom) -> &str {
    c.kind.name()
}

/// The number of items a section declared.
pub(crate) fn count(m: &Module, id: SectionId) -> usize {
    match id {
        SectionId::Type => m.types.len(),
        SectionId::Import => m.imports.len(),
        SectionId::Function | SectionId::Code => m.funcs.len(),
        SectionId::Table => m.tables.len(),
        SectionId::Memory => m.memories.len(),
        SectionId::Global => m.globals.len(),
        SectionId::Export => m.exports.len(),
        SectionId::Element => m.elems.len(),
        SectionId::Data => m.datas.len(),
        SectionId::DataCount => m.data_count.unwrap_or(0) as usize,
        SectionId::Tag => m.tags.len(),
        SectionId::Start | SectionId::Custom => 0,
    }
}

/// The `Section Details` part: each section's items, a block each.
pub(crate) fn details(out: &mut String, m: &Module) {
    let names = &m.names;
    let label = |map: &NameMap, i: u32| match Names::get(map, i) {
        Some(n) => format!(" <{n}>"),
        None => String::new(),
    };
    if !m.types.is_empty() {
        let _ = writeln!(out, "Type[{}]:", m.types.len());
        for (i, t) in m.types.iter().enumerate() {
            let _ = writeln!(out, " - type[{i}] {}", sub_type(t));
        }
    }
    if !m.imports.is_empty() {
        let _ = writeln!(out, "Import[{}]:", m.imports.len());
        let mut next = [0u32; 5];
        for imp in &m.imports {
            let kind = imp.desc.kind();
            let idx = next[kind as usize];
            next[kind as usize] += 1;
            let what = match imp.desc {
                ImportDesc::Func(ty) => format!("func[{idx}] sig={ty}{}", label(&names.funcs, idx)),
                ImportDesc::FuncExact(ty) => {
                    format!("func[{idx}] exact sig={ty}{}", label(&names.funcs, idx))
                }
                ImportDesc::Table(t) => format!("table[{idx}] {}", table_type(&t)),
                ImportDesc::Memory(mt) => format!("memory[{idx}] {}", memory_type(&mt)),
                ImportDesc::Global(g) => format!("global[{idx}] {}", global_type(&g)),
                ImportDesc::Tag(t) => format!("tag[{idx}] sig={}", t.ty),
            };
            let _ = writeln!(out, " - {what} <- {}.{}", imp.module, imp.name);
        }
    }
    let first = |kind| m.num_imports(kind);
    if !m.funcs.is_empty() {
        let base = first(ExternKind::Func);
        let _ = writeln!(out, "Function[{}]:", m.funcs.len());
        for (i, f) in m.funcs.iter().enumerate() {
            let idx = base + i as u32;
            let locals: u64 = f.locals.iter().map(|l| u64::from(l.count)).sum();
            let _ = writeln!(
                out,
                " - func[{idx}] sig={}{} locals={locals} instrs={}",
                f.ty,
                label(&names.funcs, idx),
                f.body.len()
            );
        }
    }
    if !m.tables.is_empty() {
        let base = first(ExternKind::Table);
        let _ = writeln!(out, "Table[{}]:", m.tables.len());
        for (i, t) in m.tables.iter().enumerate() {
            let _ = writeln!(out, " - table[{}] {}", base + i as u32, table_type(&t.ty));
        }
    }
    if !m.memories.is_empty() {
        let base = first(ExternKind::Memory);
        let _ = writeln!(out, "Memory[{}]:", m.memories.len());
        for (i, mt) in m.memories.iter().enumerate() {
            let _ = writeln!(out, " - memory[{}] {}", base + i as u32, memory_type(mt));
        }
    }
    if !m.tags.is_empty() {
        let base = first(ExternKind::Tag);
        let _ = writeln!(out, "Tag[{}]:", m.tags.len());
        for (i, t) in m.tags.iter().enumerate() {
            let _ = writeln!(out, " - tag[{}] sig={}", base + i as u32, t.ty);
        }
    }
    if !m.globals.is_empty() {
        let base = first(ExternKind::Global);
        let _ = writeln!(out, "Global[{}]:", m.globals.len());
        for (i, g) in m.globals.iter().enumerate() {
            let idx = base + i as u32;
            let _ = writeln!(
                out,
                " - global[{idx}]{} {}",
                label(&names.globals, idx),
                global_type(&g.ty)
            );
        }
    }
    if !m.exports.is_empty() {
        let _ = writeln!(out, "Export[{}]:", m.exports.len());
        for e in &m.exports {
            let name = match e.kind {
                ExternKind::Func => label(&names.funcs, e.index),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                " - {}[{}]{name} -> {:?}",
                e.kind.name(),
                e.index,
                e.name
            );
        }
    }
    if let Some(start) = m.start {
        let _ = writeln!(out, "Start:\n - start function: {start}");
    }
    if !m.elems.is_empty() {
        let _ = writeln!(out, "Elem[{}]:", m.elems.len());
        for (i, e) in m.elems.iter().enumerate() {
            let mode = match e.mode {
                ElemMode::Passive => "passive".to_string(),
                ElemMode::Declarative => "declarative".to_string(),
                ElemMode::Active { table, .. } => format!("active table={table}"),
            };
            let _ = writeln!(
                out,
                " - segment[{i}] {mode} type={} count={}",
                e.ty,
                e.items.len()
            );
        }
    }
    if let Some(n) = m.data_count {
        let _ = writeln!(out, "DataCount:\n - data count: {n}");
    }
    if !m.datas.is_empty() {
        let _ = writeln!(out, "Data[{}]:", m.datas.len());
        for (i, d) in m.datas.iter().enumerate() {
            let mode = match d.mode {
                DataMode::Passive => "passive".to_string(),
                DataMode::Active { memory, .. } => format!("active memory={memory}"),
            };
            let _ = writeln!(out, " - segment[{i}] {mode} size={}", d.init.len());
        }
    }
    for c in &m.customs {
        let size = match &c.kind {
            CustomKind::Raw { data, .. } => format!("size={}", data.len()),
            CustomKind::Names | CustomKind::BranchHints => "decoded".to_string(),
        };
        let _ = writeln!(out, "Custom:\n - name: {:?} {size}", custom_name(c));
    }
}

fn list(types: &[ValType]) -> String {
    let items: Vec<String> = types.iter().map(ValType::to_string).collect();
    format!("({})", items.join(", "))
}

fn field(f: &FieldType) -> String {
    let storage = match f.storage {
        StorageType::I8 => "i8".to_string(),
        StorageType::I16 => "i16".to_string(),
        StorageType::Val(v) => v.to_string(),
    };
    if f.mutable {
        format!("(mut {storage})")
    } else {
        storage
    }
}

fn sub_type(t: &SubType) -> String {
    let body = match &t.composite {
        CompositeType::Func(f) => format!("{} -> {}", list(&f.params), list(&f.results)),
        CompositeType::Struct(fields) => {
            let fields: Vec<String> = fields.iter().map(field).collect();
            format!("struct ({})", fields.join(", "))
        }
        CompositeType::Array(f) => format!("array {}", field(f)),
    };
    if t.is_final && t.supertypes.is_empty() {
        body
    } else {
        let sup: Vec<String> = t.supertypes.iter().map(u32::to_string).collect();
        let fin = if t.is_final { " final" } else { "" };
        format!("sub{fin} ({}) {body}", sup.join(", "))
    }
}

fn limits(l: Limits) -> String {
    match l.max {
        Some(max) => format!("initial={} max={max}", l.min),
        None => format!("initial={}", l.min),
    }
}

fn addr(a: AddrType) -> &'static str {
    match a {
        AddrType::I32 => "",
        AddrType::I64 => " i64",
    }
}

fn table_type(t: &TableType) -> String {
    format!("type={}{} {}", t.elem, addr(t.addr), limits(t.limits))
}

fn memory_type(m: &MemoryType) -> String {
    let mut s = format!("pages:{} {}", addr(m.addr), limits(m.limits));
    if m.shared {
        s.push_str(" shared");
    }
    if let Some(log2) = m.page_size_log2 {
        let _ = write!(s, " page_size={}", 1u64 << log2);
    }
    s
}

fn global_type(g: &GlobalType) -> String {
    format!("{} mutable={}", g.val, u8::from(g.mutable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_sections_and_details() {
        // (module (type (func (param i32) (result i32)))
        //   (import "env" "f" (func (type 0))) (memory 1 2)
        //   (func (type 0) local.get 0) (export "g" (func 1)) + a custom section)
        let bytes = b"\0asm\x01\0\0\0\
            \x01\x06\x01\x60\x01\x7f\x01\x7f\
            \x02\x09\x01\x03env\x01f\x00\x00\
            \x03\x02\x01\x00\
            \x05\x04\x01\x01\x01\x02\
            \x07\x05\x01\x01g\x00\x01\
            \x0a\x06\x01\x04\x00\x20\x00\x0b\
            \x00\x04\x03abc";
        let (frames, err) = weft_parser::section_frames(bytes);
        assert!(err.is_none());
        let module = weft_parser::parse(bytes).unwrap();
        let text = render("t.wasm", Some(&module), &frames);
        assert!(
            text.contains("     Type start=0x0000000a end=0x00000010 (size=0x00000006) count: 1"),
            "{text}"
        );
        assert!(
            text.contains("   Custom start=0x00000036 end=0x0000003a (size=0x00000004) \"abc\""),
            "{text}"
        );
        assert!(text.contains(" - type[0] (i32) -> (i32)"), "{text}");
        assert!(text.contains(" - func[0] sig=0 <- env.f"), "{text}");
        assert!(
            text.contains(" - func[1] sig=0 locals=0 instrs=2"),
            "{text}"
        );
        assert!(
            text.contains(" - memory[0] pages: initial=1 max=2"),
            "{text}"
        );
        assert!(text.contains(" - func[1] -> \"g\""), "{text}");
        // Without a decoded module, the table alone.
        let text = render("t.wasm", None, &frames);
        assert!(text.contains("     Type start=0x0000000a end=0x00000010 (size=0x00000006)\n"));
        assert!(!text.contains("Section Details"));
    }
}
