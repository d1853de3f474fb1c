//! Every input that crashed a fuzz target (fuzz/, see docs/reliability.md)
//! is kept in `testdata/fuzz-regressions/`: loading, linting and
//! simulating each must give an answer or an error, never a panic.

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::lint::{lint_source, Selection};
use cibcheck::xml::ParseLimits;

#[test]
fn crashing_inputs_no_longer_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("testdata/fuzz-regressions") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        // Not UTF-8: refused by the input reader before the loader.
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        n += 1;
        let source = SourceFile {
            name: path.display().to_string(),
            text: text.as_str().into(),
        };
        let out = lint_source(
            source.clone(),
            Instant(1_717_200_000),
            &Selection::all(),
            ParseLimits::default(),
        );
        for d in &out.diagnostics {
            assert!(d.span.end as usize <= text.len(), "{}", path.display());
        }
        if let Ok(cib) = cibcheck::cib::load(source, ParseLimits::default()) {
            let _ = cibcheck::sched::pipeline::simulate(&cib, Instant(1_717_200_000));
        }
    }
    assert!(n > 0, "no fixtures");
}
