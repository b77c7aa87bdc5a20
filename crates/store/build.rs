//! The migrations are embedded by `sqlx::migrate!`; a new or edited migration file rebuilds the
//! crate (cargo would otherwise not see it).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
