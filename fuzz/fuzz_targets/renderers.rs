//! Bytes → every output format: lint (human at several widths, with and
//! without colour, concise, JSON, SARIF, GitHub, GitLab, JUnit), simulate
//! (table, JSON, crm_simulate text with scores, dot) and explain (text,
//! JSON). Rendering must never panic, and human output must stay bounded
//! by the findings, not by the length of the lines they point into.
#![no_main]

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::diag::Severity;
use cibcheck::lint::{lint_source, Selection, RULES};
use cibcheck::render;
use cibcheck::render::sim_table::StepView;
use cibcheck::whatif::{outcome, run, scenario::StepSpec};
use cibcheck::xml::ParseLimits;
use libfuzzer_sys::fuzz_target;

const NOW: Instant = Instant(1_717_200_000);

fuzz_target!(|data: &[u8]| {
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
    lint_formats(source.clone(), limits);
    simulate_formats(source, limits);
});

fn lint_formats(source: SourceFile, limits: ParseLimits) {
    let outcome = lint_source(source, NOW, &Selection::all(), limits);
    let outcomes = [outcome];
    let diags = &outcomes[0].diagnostics;
    // What a finding may legitimately print: its own words (which can
    // quote ids of any length) plus a bounded snippet per label.
    let words: usize = diags
        .iter()
        .map(|d| {
            d.message.len()
                + d.help.as_ref().map_or(0, String::len)
                + d.primary_label.as_ref().map_or(0, String::len)
                + d.labels.iter().map(|l| l.message.len()).sum::<usize>()
        })
        .sum();
    let labels: usize = diags.iter().map(|d| 1 + d.labels.len()).sum();
    for width in [1, 20, 80, 200] {
        for color in [false, true] {
            let out = render::human::render(&outcomes, color, width);
            let bound = 8 * 1024 + 8 * words + labels * 16 * (width + 64) + diags.len() * 512;
            assert!(
                out.len() <= bound,
                "human output of {} bytes for {} findings at width {width} (bound {bound})",
                out.len(),
                diags.len()
            );
        }
    }
    let _ = render::human::summary_line(&outcomes);
    let _ = render::concise::render(&outcomes);
    let _ = render::json::render(&outcomes, &["a note".to_string()]);
    let _ = render::sarif::render(&outcomes);
    let _ = render::github::render(&outcomes);
    let _ = render::gitlab::render(&outcomes);
    let suites = [render::junit::Suite {
        outcome: &outcomes[0],
        rules: RULES.iter().map(|r| r.code).collect(),
        fail_on: Severity::Warning,
    }];
    let _ = render::junit::render(&suites);
}

fn simulate_formats(source: SourceFile, limits: ParseLimits) {
    let Ok(cib) = cibcheck::cib::load(source, limits) else {
        return;
    };
    let now = cib.execution_date.unwrap_or(NOW);
    let steps = [StepSpec::default()];
    let Ok(runs) = run::run_scenario_with(&cib, now, &steps, true) else {
        return;
    };
    let outcomes: Vec<_> = runs
        .iter()
        .map(|r| {
            let mut o = outcome::outcome(&r.sim, &r.current);
            run::add_stop_reasons(r, now, &mut o.verdict);
            o
        })
        .collect();
    let scores: Vec<Vec<String>> = runs.iter().map(|r| r.sim.transition.scores.lines()).collect();
    let views: Vec<StepView<'_>> = runs
        .iter()
        .zip(&outcomes)
        .zip(&scores)
        .map(|((r, o), lines)| StepView {
            events: &r.events,
            outcome: o,
            transition: &r.sim.transition,
            scores: Some(lines.as_slice()),
        })
        .collect();
    for color in [false, true] {
        let _ = render::sim_table::render(&views, color);
    }
    let _ = render::sim_json::render(&views, cib.pacemaker, cib.pacemaker_chosen);
    let _ = render::sim_dot::render(&views);
    for r in &runs {
        let _ = render::crm_simulate::render_with_scores(
            &r.sim,
            cib.execution_date
                .map(render::crm_simulate::TimeNote::Original),
            &r.current,
            &r.modifications,
            true,
        );
    }
    // Explain the first resource the transition touched, if any.
    let first = outcomes
        .first()
        .and_then(|o| o.resources.first())
        .map(|r| r.id.clone());
    if let Some(rsc) = first {
        if let Ok(e) = cibcheck::explain::explain(&cib, now, &rsc, None) {
            let _ = render::explain::text(&e, &[], cib.pacemaker, cib.pacemaker_chosen);
            let _ = render::explain::json(&e, &[], cib.pacemaker, cib.pacemaker_chosen);
        }
    }
}
