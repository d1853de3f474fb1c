//! `cibcheck rules [CODE]`.

use super::{emit, Termination};
use crate::lint::{rule_by_code, RULES};
use clap::{Args, ValueEnum};
use comfy_table::{presets, Table};

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule code (e.g. DR001) or name; prints its documentation.
    pub code: Option<String>,
    /// Output format of the listing.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

pub fn run(args: RulesArgs) -> Termination {
    if let Some(code) = args.code {
        return match rule_by_code(&code) {
            Some(r) => {
                emit(r.doc);
                Termination::Clean
            }
            None => {
                eprintln!("error: no rule `{code}`; `cibcheck rules` lists them");
                Termination::Error
            }
        };
    }
    match args.format {
        RulesFormat::Json => {
            let v: Vec<_> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "category": r.category.name(),
                        "severity": r.category.severity().name(),
                        "summary": r.summary,
                    })
                })
                .collect();
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        RulesFormat::Table => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED);
            t.set_header(vec!["code", "name", "severity", "what it finds"]);
            for r in RULES {
                t.add_row(vec![
                    r.code,
                    r.name,
                    r.category.severity().name(),
                    r.summary,
                ]);
            }
            emit(&format!("{t}\n"));
        }
    }
    Termination::Clean
}
