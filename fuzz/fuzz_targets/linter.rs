//! Bytes → lint: every rule runs on whatever the loader accepts.
#![no_main]

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::lint::{lint_source, Selection};
use cibcheck::xml::ParseLimits;
use libfuzzer_sys::fuzz_target;

// 2024-06-01T00:00:00Z: a fixed clock keeps runs reproducible.
const NOW: Instant = Instant(1_717_200_000);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile {
        name: "fuzz.xml".into(),
        text: text.into(),
    };
    let out = lint_source(source, NOW, &Selection::all(), ParseLimits::default());
    for d in &out.diagnostics {
        assert!(d.span.end as usize <= text.len() && d.span.start <= d.span.end);
    }
});
