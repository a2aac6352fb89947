//! The `healthpress` command line. Argument parsing and user-facing error
//! wording live in `cli`; this file only hands over the exit code.

/// mimalloc instead of the system allocator: a build allocates many small
/// strings and template values on every rayon thread, and glibc's malloc
/// and free were ~17% of all CPU samples on a 10k-article site.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(healthpress::cli::run());
}
