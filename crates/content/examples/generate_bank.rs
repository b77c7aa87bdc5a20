//! Writes N generated items into `DIR/questions/generated/`, for measuring start-up and sync
//! with a large bank: `cargo run --release -p getmycert-content --example generate_bank -- DIR 1000`.

use std::path::PathBuf;

use getmycert_content::items::write_item;
use getmycert_core::fixtures::sample_question;

/// MLS-C01 task statements, cycled so the generated bank spreads over the blueprint.
const TASKS: [&str; 15] = [
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1", "4.2",
    "4.3", "4.4",
];

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "generated-content".into()));
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let out = dir.join("questions/generated");
    std::fs::create_dir_all(&out)?;
    for i in 0..count {
        let id = format!("generated-item-{i:05}");
        let mut question = sample_question(&id, "MLS-C01", TASKS[i % TASKS.len()]);
        question.parts[0].stem = format!(
            "A team running workload number {i} on AWS must choose how to process its data for a \
             machine learning project with strict cost limits. Which option fits item {id} best?"
        );
        std::fs::write(out.join(format!("{id}.md")), write_item(&question))?;
    }
    println!("{count} items written to {}", out.display());
    Ok(())
}
