//! `getmycert`: serve the site (default) or work with content.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use getmycert::cli::{Cli, Command, ContentCommand, IrtCommand, LogFormat};
use getmycert::startup::{Application, shutdown_signal};
use getmycert::{
    backup_cmd, calibrate_cmd, content_cmd, interop_cmd, irt_cmd, simulate_cmd, user_cmd,
};
use tracing_subscriber::EnvFilter;

/// mimalloc gives freed memory back to the system within moments; glibc's allocator kept the
/// peak of an exam-day rush for the life of the process. It is built without transparent huge
/// pages (`no_thp`): with them the kernel merged half-used pages into 2 MB ones after the rush,
/// and the idle server grew by a third in a minute.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How often [`return_freed_memory`] nudges the allocator.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// mimalloc hands freed pages back to the system a second after they were freed, but only from
/// inside an allocator call that frees a whole page. After a rush the server goes quiet, nothing
/// frees a page, and what the rush freed stayed resident (about 11 MB after 1,000 sittings).
/// Every few seconds this thread allocates and frees one block larger than mimalloc's largest
/// size class, which takes a page of its own, so that its free runs the purge that is due.
fn return_freed_memory() {
    let started = std::thread::Builder::new()
        .name("memory-upkeep".into())
        .spawn(|| {
            loop {
                std::thread::sleep(PURGE_EVERY);
                // 1 MiB: above the 512 KiB of mimalloc's largest class. Never touched, so
                // it costs no more than the page's header.
                drop(std::hint::black_box(Vec::<u8>::with_capacity(1 << 20)));
            }
        });
    if let Err(e) = started {
        tracing::warn!("memory upkeep not started: {e}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.log_level).unwrap_or_else(|e| {
        eprintln!("ignoring log level `{}` ({e}); using info", cli.log_level);
        EnvFilter::new("info")
    });
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => logs.json().init(),
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
    }

    match cli.command {
        None | Some(Command::Serve) => serve(&cli),
        Some(Command::Content {
            command: ContentCommand::Check { dir, strict },
        }) => content_cmd::check(&dir, strict),
        Some(Command::Content {
            command: ContentCommand::Stats { dir, json },
        }) => content_cmd::stats(&dir, json),
        Some(Command::Content {
            command:
                ContentCommand::Import {
                    format,
                    file,
                    exam,
                    out,
                    skip_unsupported,
                    task,
                    content,
                },
        }) => interop_cmd::import(&interop_cmd::ImportRequest {
            format,
            file: &file,
            exam: &exam,
            out: out.as_deref(),
            skip_unsupported,
            task: task.as_deref(),
            content: &content,
        }),
        Some(Command::Content {
            command:
                ContentCommand::Export {
                    format,
                    exam,
                    out,
                    content,
                },
        }) => interop_cmd::export(format, &exam, &out, content.as_deref()),
        Some(Command::Irt {
            command: IrtCommand::Fit { responses, json },
        }) => irt_cmd::fit(&responses, json),
        Some(Command::Calibrate { json }) => calibrate_cmd::main(&cli.serve, json),
        Some(Command::Backup { to }) => backup_cmd::main(&cli.serve.database_url, &to),
        Some(Command::Simulate {
            sizes,
            candidates,
            seed,
            json,
        }) => simulate_cmd::main(&cli.serve, &sizes, candidates, seed, json),
        Some(Command::User { command }) => user_cmd::main(&cli.serve, command),
    }
}

fn serve(cli: &Cli) -> ExitCode {
    return_freed_memory();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("getmycert cannot start: no async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        // Before the listener is bound: a SIGTERM during start-up shuts down cleanly.
        let stop = shutdown_signal();
        let app = match Application::build(&cli.serve).await {
            Ok(app) => app,
            Err(e) => {
                eprintln!("getmycert cannot start: {e:#}");
                return ExitCode::FAILURE;
            }
        };
        match app.run_until_stopped(stop).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("getmycert stopped with an error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
