//! `getmycert simulate [--json]`: the learning engine measured against known truth.
//! (a) 2PL calibration wall time and RMSE of a and b on simulated matrices; (b) the Brier score,
//! expected calibration error and false-pass rate of P(pass) after k answers; (c) adaptive
//! drills on a 300-item bank: mean items to the SE target and the highest exposure rate.

use std::process::ExitCode;
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use getmycert_core::ExamCode;
use getmycert_core::adaptive::{self, DrillSimulation};
use getmycert_core::irt::calibrate;
use getmycert_core::simulation::{self, PassForecast, rmse};

use crate::cli::ServeArgs;
use crate::startup::load_content;

/// One calibration benchmark.
#[derive(Debug, Serialize)]
pub struct CalibrationRun {
    pub persons: usize,
    pub items: usize,
    pub seconds: f64,
    pub iterations: usize,
    pub converged: bool,
    pub rmse_a: f64,
    pub rmse_b: f64,
}

/// Everything `simulate` measured.
#[derive(Debug, Serialize)]
pub struct Measurements {
    pub calibration: Vec<CalibrationRun>,
    pub exam: String,
    pub pass_forecast: Vec<PassForecast>,
    pub adaptive: DrillSimulation,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// (persons, items) matrices to calibrate.
    pub sizes: Vec<(usize, usize)>,
    /// Simulated candidates for the forecast and the drills.
    pub candidates: usize,
    pub seed: u64,
}

/// Parses `1000x40,5000x100`.
pub fn parse_sizes(raw: &str) -> Result<Vec<(usize, usize)>, String> {
    raw.split(',')
        .map(|s| {
            s.trim()
                .split_once('x')
                .and_then(|(p, i)| Some((p.parse().ok()?, i.parse().ok()?)))
                .filter(|(p, i): &(usize, usize)| *p > 0 && *i > 1)
                .ok_or_else(|| format!("size `{s}` must look like 1000x40"))
        })
        .collect()
}

fn measure(args: &ServeArgs, plan: &Plan) -> Result<Measurements, String> {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let mut calibration = Vec::new();
    for (persons, items) in &plan.sizes {
        let truth = simulation::items(*items, &mut rng);
        let data = simulation::matrix(*persons, &truth, &mut rng);
        let started = Instant::now();
        let fit = calibrate(&data, 500, 1e-4).map_err(|e| e.to_string())?;
        let seconds = started.elapsed().as_secs_f64();
        let pick = |f: fn(&getmycert_core::irt::ItemParams) -> f64| -> (Vec<f64>, Vec<f64>) {
            (
                fit.items.iter().map(f).collect(),
                truth.iter().map(f).collect(),
            )
        };
        let (a, ta) = pick(|i| i.a);
        let (b, tb) = pick(|i| i.b);
        calibration.push(CalibrationRun {
            persons: *persons,
            items: *items,
            seconds,
            iterations: fit.iterations,
            converged: fit.converged,
            rmse_a: rmse(&a, &ta),
            rmse_b: rmse(&b, &tb),
        });
    }
    let content = load_content(args).map_err(|e| format!("the content is invalid.\n{e}"))?;
    let code = ExamCode::parse("MLS-C01").map_err(|e| e.to_string())?;
    let exam = content
        .exam(&code)
        .ok_or("the catalog has no MLS-C01")?
        .clone();
    let params = simulation::items(300, &mut rng);
    let bank = simulation::bank_for(&exam, &params);
    let pass_forecast = [20, 40, 65, 100]
        .into_iter()
        .map(|k| simulation::pass_forecast(&exam, &bank, k, plan.candidates, &mut rng))
        .collect();
    let adaptive = adaptive::simulate(
        &params,
        plan.candidates,
        adaptive::SE_TARGET,
        adaptive::MAX_ITEMS,
        &mut rng,
    );
    Ok(Measurements {
        calibration,
        exam: exam.code.to_string(),
        pass_forecast,
        adaptive,
    })
}

fn print(m: &Measurements) {
    println!("(a) 2PL calibration of simulated matrices");
    println!("  persons × items   seconds  iterations  converged  RMSE a  RMSE b");
    for c in &m.calibration {
        println!(
            "  {:>7} × {:<5} {:>9.2} {:>11} {:>10} {:>7.3} {:>7.3}",
            c.persons, c.items, c.seconds, c.iterations, c.converged, c.rmse_a, c.rmse_b
        );
    }
    println!("(b) P(pass) on {} after k answers", m.exam);
    println!("  k     Brier    ECE  false-pass rate  (share of all)  pass rate");
    for f in &m.pass_forecast {
        println!(
            "  {:<4} {:>6.3} {:>6.3} {:>16.3} {:>15.3} {:>10.3}",
            f.k, f.brier, f.ece, f.false_pass_rate, f.false_pass_share, f.pass_rate
        );
    }
    let d = &m.adaptive;
    println!(
        "(c) adaptive drills, {} candidates on a {}-item bank: {:.1} items on average to SE ≤ {} ({:.0}% reached it), highest exposure {:.1}%, RMSE θ {:.3}",
        d.candidates,
        d.bank,
        d.mean_items,
        d.se_target,
        d.reached_target * 100.0,
        d.max_exposure * 100.0,
        d.rmse_theta
    );
}

/// Runs the measurements; exit 2 on bad flags, 1 on failure.
pub fn main(args: &ServeArgs, sizes: &str, candidates: usize, seed: u64, json: bool) -> ExitCode {
    let sizes = match parse_sizes(sizes) {
        Ok(sizes) => sizes,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let plan = Plan {
        sizes,
        candidates,
        seed,
    };
    match measure(args, &plan) {
        Ok(m) if json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&m).expect("measurements serialize")
            );
            ExitCode::SUCCESS
        }
        Ok(m) => {
            print(&m);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
