//! The `blindspot` command: parses arguments and hands over to [`blindspot::cli::run`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = blindspot::cli::Cli::parse();
    blindspot::cli::run(args)
}
