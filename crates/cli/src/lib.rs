//! The `getmycert` binary's library half: command-line configuration and start-up, kept out
//! of `main` so integration tests build the same application on a random port.
#![forbid(unsafe_code)]

pub mod backup_cmd;
pub mod calibrate_cmd;
pub mod cli;
pub mod content_cmd;
pub mod interop_cmd;
pub mod irt_cmd;
pub mod simulate_cmd;
pub mod startup;
pub mod user_cmd;
