//! Integration tests: the real application over real HTTP on a random port.

mod accounts;
mod attempts;
mod calibration;
mod helpers;
mod openapi;
mod operations;
mod pages;
mod plan;
mod questions;
mod review;
mod runner;
mod security;
mod staff;
mod startup;
