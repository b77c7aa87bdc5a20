//! Integration tests: the real application over real HTTP on a random port.

mod accounts;
mod attempts;
mod calibration;
mod certifications;
mod crashes;
mod helpers;
mod interop;
mod malformed;
mod openapi;
mod operations;
mod outages;
mod pages;
mod plan;
mod progress;
mod questions;
mod review;
mod runner;
mod security;
mod staff;
mod startup;
