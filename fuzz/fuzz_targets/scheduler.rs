//! Bytes → simulate (schedule, execute, re-unpack): an answer or a
//! refusal for any CIB the loader accepts, never a panic or a hang.
#![no_main]

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::xml::ParseLimits;
use libfuzzer_sys::fuzz_target;

const NOW: Instant = Instant(1_717_200_000);

fuzz_target!(|data: &[u8]| {
    // Bound the work per input: scheduling is superlinear in the number
    // of nodes × resources, and big inputs only slow the search down.
    if data.len() > 64 * 1024 {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile {
        name: "fuzz.xml".into(),
        text: text.into(),
    };
    let limits = ParseLimits {
        max_elements: 20_000,
        ..ParseLimits::default()
    };
    let Ok(cib) = cibcheck::cib::load(source, limits) else {
        return;
    };
    let now = cib.execution_date.unwrap_or(NOW);
    if let Ok(sim) = cibcheck::sched::pipeline::simulate(&cib, now) {
        // Rendering walks everything the scheduler produced.
        let _ = cibcheck::render::crm_simulate::render(&sim, cib.execution_date);
    }
});
