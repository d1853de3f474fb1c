//! Bytes → CIB model: the XML parser and the typed loader must give a
//! model or a located error for any input, never panic or hang.
#![no_main]

use cibcheck::cib::SourceFile;
use cibcheck::xml::ParseLimits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is rejected before the loader by the input reader.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile {
        name: "fuzz.xml".into(),
        text: text.into(),
    };
    if let Err(e) = cibcheck::cib::load(source, ParseLimits::default()) {
        // The error's span must lie inside the text (it is rendered).
        assert!(e.span.end as usize <= text.len() && e.span.start <= e.span.end);
    }
});
