//! The `cibcheck` binary: parse flags, run, map the outcome to an exit code.

fn main() {
    let code = cibcheck::cli::main();
    std::process::exit(code);
}
