//! The engine: what pages and the API do with attempts, in one place. It loads from the store,
//! applies the `core` rules and writes back; handlers only translate HTTP to these calls.

pub mod attempts;
pub mod calibration;
pub mod drill;
pub mod readiness;
pub mod review;

pub use attempts::{AttemptView, Engine, EngineError, Mode, StartRequest};
pub use review::DueCount;
