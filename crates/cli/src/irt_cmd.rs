//! `getmycert irt fit --responses FILE.csv [--json]`: 2PL calibration of any 0/1 matrix.
//! Bad input exits 2 with the line (and column) at fault.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use getmycert_core::irt::{Responses, calibrate};
use serde_json::json;

/// Iteration cap and convergence tolerance of the EM.
const MAX_ITERATIONS: usize = 500;
const TOLERANCE: f64 = 1e-4;

/// Reads the matrix; every problem names its line (and column).
pub fn parse_csv(text: &str) -> Result<Responses, String> {
    let mut rows: Responses = Vec::new();
    let mut width = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let row = line
            .split(',')
            .enumerate()
            .map(|(c, cell)| match cell.trim() {
                "" => Ok(None),
                "0" => Ok(Some(false)),
                "1" => Ok(Some(true)),
                other => Err(format!(
                    "line {number}, column {}: `{other}` is not 0, 1 or empty",
                    c + 1
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        match width {
            None => width = Some((number, row.len())),
            Some((first, w)) if w != row.len() => {
                return Err(format!(
                    "line {number} has {} values but line {first} has {w}",
                    row.len()
                ));
            }
            Some(_) => {}
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err("the file holds no responses".into());
    }
    Ok(rows)
}

/// Runs the calibration and prints the result.
pub fn fit(path: &Path, as_json: bool) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let responses = match parse_csv(&text) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("{}: {message}", path.display());
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let fit = match calibrate(&responses, MAX_ITERATIONS, TOLERANCE) {
        Ok(fit) => fit,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    if as_json {
        let out = json!({
            "items": fit.items,
            "seconds": seconds,
            "iterations": fit.iterations,
            "converged": fit.converged,
        });
        println!("{out}");
    } else {
        println!("item\ta\tb");
        for (j, item) in fit.items.iter().enumerate() {
            println!("{}\t{:.3}\t{:.3}", j + 1, item.a, item.b);
        }
        println!(
            "{} persons, {} items: {} iterations, {}converged, {seconds:.2} s",
            responses.len(),
            fit.items.len(),
            fit.iterations,
            if fit.converged { "" } else { "not " }
        );
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_csv;

    #[test]
    fn csv_problems_name_their_line() {
        assert_eq!(parse_csv("1,0,\n0,1,1\n").map(|r| r.len()), Ok(2));
        assert_eq!(
            parse_csv("1,0\n0,1,1\n"),
            Err("line 2 has 3 values but line 1 has 2".into())
        );
        assert_eq!(
            parse_csv("1,0\n0,x\n"),
            Err("line 2, column 2: `x` is not 0, 1 or empty".into())
        );
        assert_eq!(parse_csv("\n\n"), Err("the file holds no responses".into()));
    }
}
