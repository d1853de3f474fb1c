//! The `cibcheck` binary: parse flags, run, map the outcome to an exit code.

// Loading a large CIB allocates millions of small strings and vectors;
// mimalloc does that markedly faster than the system allocator.
#[cfg_attr(not(feature = "system-alloc"), global_allocator)]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = cibcheck::cli::main();
    std::process::exit(code);
}
