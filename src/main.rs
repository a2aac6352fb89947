//! The `healthpress` command line. Argument parsing and user-facing error
//! wording live in `cli`; this file only hands over the exit code.

fn main() {
    std::process::exit(healthpress::cli::run());
}
