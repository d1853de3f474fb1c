//! Progress on stderr for runs that take a while: linting many files,
//! replaying a history, resilience on a large cluster, one long
//! simulation. One policy decides ([`policy`]): a bar appears only on a
//! terminal, never in pipes, CI logs (`CI` set) or with `NO_COLOR`, and
//! only once the run has taken more than a second, so quick runs never
//! see it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SHOW_AFTER: Duration = Duration::from_secs(1);

/// What the progress decision depends on.
#[derive(Clone, Copy, Debug)]
pub struct Conditions {
    pub stderr_is_terminal: bool,
    /// `CI` is set (GitHub Actions, GitLab CI, Jenkins' pipelines set it).
    pub ci: bool,
    /// `NO_COLOR` is set: the user asked for plain output.
    pub no_color: bool,
}

impl Conditions {
    pub fn current() -> Conditions {
        Conditions {
            stderr_is_terminal: std::io::stderr().is_terminal(),
            ci: std::env::var_os("CI").is_some(),
            no_color: std::env::var_os("NO_COLOR").is_some(),
        }
    }
}

/// Whether a progress bar is drawn after a run has taken `elapsed`.
pub fn policy(c: Conditions, elapsed: Duration) -> bool {
    c.stderr_is_terminal && !c.ci && !c.no_color && elapsed > SHOW_AFTER
}

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    conditions: Conditions,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `len` items, labelled `what`; inert when progress is
    /// never to be shown.
    pub fn new(len: usize, what: &str) -> Progress {
        Progress::build(Some(len as u64), what, "{msg} {bar:30} {pos}/{len} {eta}")
    }

    /// A spinner for one long step whose length is unknown; it appears
    /// after a second, from a timer thread (nothing else ticks it).
    pub fn spinner(what: &str) -> Progress {
        let p = Progress::build(None, what, "{spinner} {msg} {elapsed}");
        if let Some(bar) = &p.bar {
            let (bar, conditions) = (bar.clone(), p.conditions);
            std::thread::spawn(move || {
                std::thread::sleep(SHOW_AFTER + Duration::from_millis(1));
                if !bar.is_finished() && policy(conditions, SHOW_AFTER * 2) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        p
    }

    fn build(len: Option<u64>, what: &str, template: &str) -> Progress {
        let conditions = Conditions::current();
        // A bar that could never be drawn is not made at all.
        let possible = policy(conditions, Duration::MAX);
        let bar = possible.then(|| {
            let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.set_message(what.to_owned());
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            conditions,
            shown: AtomicBool::new(false),
        }
    }

    fn reveal(&self, bar: &ProgressBar) {
        if policy(self.conditions, self.started.elapsed())
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// One more item done (any thread).
    pub fn inc(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        self.reveal(bar);
    }

    /// `done` of `total` items done, the next one being `what`.
    pub fn set(&self, done: usize, total: usize, what: &str) {
        let Some(bar) = &self.bar else { return };
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(what.to_owned());
        self.reveal(bar);
    }

    /// Run `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Remove the bar before the results are printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERMINAL: Conditions = Conditions {
        stderr_is_terminal: true,
        ci: false,
        no_color: false,
    };
    const LONG: Duration = Duration::from_millis(1500);

    #[test]
    fn only_long_runs_on_a_terminal_outside_ci_show_progress() {
        assert!(policy(TERMINAL, LONG));
        assert!(!policy(TERMINAL, Duration::from_millis(900)), "quick runs");
        let pipe = Conditions {
            stderr_is_terminal: false,
            ..TERMINAL
        };
        assert!(!policy(pipe, LONG), "pipes");
        let ci = Conditions {
            ci: true,
            ..TERMINAL
        };
        assert!(!policy(ci, LONG), "CI logs");
        let no_color = Conditions {
            no_color: true,
            ..TERMINAL
        };
        assert!(!policy(no_color, LONG), "NO_COLOR");
    }
}
