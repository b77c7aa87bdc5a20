#!/usr/bin/env python3
"""Benchmark `getmycert irt fit` (2PL, MML by EM) against two reference Python packages.

    python3 -m venv .venv && . .venv/bin/activate
    pip install -r bench/irt-reference/requirements.txt
    cargo build --release -p getmycert
    python3 bench/irt-reference/run.py [--binary PATH] [--sizes 1000x40,5000x100] [--json]

For each size (persons x items) it simulates a complete 2PL response matrix with a fixed seed
(theta ~ N(0,1), a ~ lognormal(0, 0.3), b ~ N(0,1), P = 1/(1+exp(-a(theta-b)))), calibrates it
with

- ours:  `<binary> irt fit --responses FILE.csv --json` (CSV: rows persons, columns items, 0/1,
         no header), timed by wall clock around the whole process (start-up and CSV parsing
         included); the binary's own calibration time is reported as well;
- girth: `girth.twopl_mml(matrix_items_x_persons, {"quadrature_n": 41})`;
- mirt:  `mirt.fit_mirt(matrix_persons_x_items, model="2PL", n_quadpts=41,
         compute_standard_errors=False)` (EM, its defaults max_iter=500, tol=1e-4);

and reports wall-clock seconds and the RMSE of a and of b against the true parameters, with
these checks per size: ours RMSE a <= girth RMSE a x 1.05, ours RMSE b <= girth RMSE b x 1.05,
ours >= 10x faster than girth, and at 20,000x100 ours faster than mirt.

Exit status is 0 whatever the checks say, unless `--strict` is given (then 1 when one fails).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = ["1000x40", "5000x100", "20000x100"]
TOOLS = ["ours", "girth", "mirt"]
QUADRATURE_POINTS = 41
# The accuracy margin over girth and the speed-up asked of ours.
ACCURACY_MARGIN = 1.05
SPEEDUP_OVER_GIRTH = 10.0
# The size at which ours must also beat mirt.
MIRT_SPEED_SIZE = (20000, 100)


def parse_size(text: str) -> tuple[int, int]:
    try:
        persons, items = (int(part.replace(",", "").replace("_", "")) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not PERSONSxITEMS, e.g. 1000x40") from None
    if persons < 2 or items < 2:
        raise argparse.ArgumentTypeError(f"`{text}`: need at least 2 persons and 2 items")
    return persons, items


def simulate(persons: int, items: int, seed: int):
    """A complete 0/1 matrix (persons x items) and the true parameters, fixed by (seed, size)."""
    rng = np.random.default_rng([seed, persons, items])
    theta = rng.normal(0.0, 1.0, persons)
    a = rng.lognormal(0.0, 0.3, items)
    b = rng.normal(0.0, 1.0, items)
    p = 1.0 / (1.0 + np.exp(-a[None, :] * (theta[:, None] - b[None, :])))
    responses = (rng.random((persons, items)) < p).astype(np.int8)
    return responses, a, b


def rmse(estimate, truth) -> float:
    estimate = np.asarray(estimate, dtype=float)
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fit_ours(binary: Path, responses: np.ndarray, workdir: Path) -> dict:
    path = workdir / f"responses-{responses.shape[0]}x{responses.shape[1]}.csv"
    # Rows persons, columns items, cells 0 or 1, no header (crates/cli/src/irt_cmd.rs).
    np.savetxt(path, responses, fmt="%d", delimiter=",")
    cpu0 = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [str(binary), "irt", "fit", "--responses", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    cpu = children_cpu() - cpu0
    if done.returncode != 0:
        raise RuntimeError(f"{binary} exited {done.returncode}: {done.stderr.strip()}")
    out = json.loads(done.stdout)
    return {
        "a": [item["a"] for item in out["items"]],
        "b": [item["b"] for item in out["items"]],
        "seconds": wall,
        "cpu_seconds": cpu,
        "reported_seconds": out.get("seconds"),
        "iterations": out.get("iterations"),
        "converged": out.get("converged"),
    }


def fit_girth(responses: np.ndarray) -> dict:
    import girth

    # girth wants items x persons; int8 overflows its missing-response code (-99999).
    data = np.ascontiguousarray(responses.T.astype(np.int64))
    cpu0 = time.process_time()
    started = time.perf_counter()
    result = girth.twopl_mml(data, {"quadrature_n": QUADRATURE_POINTS})
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    return {
        "a": np.asarray(result["Discrimination"], dtype=float).ravel().tolist(),
        "b": np.asarray(result["Difficulty"], dtype=float).ravel().tolist(),
        "seconds": wall,
        "cpu_seconds": cpu,
        # girth runs a fixed cap of EM cycles (option max_iteration, default 25) and reports
        # neither the count nor convergence.
        "iterations": None,
        "converged": None,
    }


def fit_mirt(responses: np.ndarray) -> dict:
    import mirt

    data = responses.astype(np.int64)
    cpu0 = time.process_time()
    started = time.perf_counter()
    result = mirt.fit_mirt(
        data,
        model="2PL",
        n_quadpts=QUADRATURE_POINTS,
        compute_standard_errors=False,
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    return {
        "a": np.asarray(result.model.discrimination, dtype=float).ravel().tolist(),
        "b": np.asarray(result.model.difficulty, dtype=float).ravel().tolist(),
        "seconds": wall,
        "cpu_seconds": cpu,
        "iterations": int(result.n_iterations),
        "converged": bool(result.converged),
    }


def checks_for(size: tuple[int, int], rows: dict) -> list[dict]:
    """The pass/fail checks of one size, from whatever tools ran."""
    checks = []
    ours, girth, mirt = rows.get("ours"), rows.get("girth"), rows.get("mirt")
    if ours and girth:
        for name in ("a", "b"):
            limit = girth[f"rmse_{name}"] * ACCURACY_MARGIN
            checks.append({
                "check": f"ours RMSE {name} <= girth RMSE {name} x {ACCURACY_MARGIN}",
                "value": ours[f"rmse_{name}"],
                "limit": limit,
                "passed": ours[f"rmse_{name}"] <= limit,
            })
        speedup = girth["seconds"] / ours["seconds"]
        checks.append({
            "check": f"ours >= {SPEEDUP_OVER_GIRTH:g}x faster than girth",
            "value": speedup,
            "limit": SPEEDUP_OVER_GIRTH,
            "passed": speedup >= SPEEDUP_OVER_GIRTH,
        })
    if ours and mirt and size == MIRT_SPEED_SIZE:
        speedup = mirt["seconds"] / ours["seconds"]
        checks.append({
            "check": "ours faster than mirt",
            "value": speedup,
            "limit": 1.0,
            "passed": speedup > 1.0,
        })
    return checks


def blas_info() -> list[dict]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("internal_api", "version", "architecture", "num_threads")
    return [{k: pool.get(k) for k in keys} for pool in threadpool_info()]


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "girth", "mirt"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def fmt(value, digits=3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown(report: dict) -> str:
    lines = [
        "| size | tool | seconds | RMSE a | RMSE b |",
        "|---|---|---:|---:|---:|",
    ]
    for entry in report["sizes"]:
        for tool in TOOLS:
            row = entry["tools"].get(tool)
            if row:
                lines.append(
                    f"| {entry['size']} | {tool} | {fmt(row['seconds'], 2)} | "
                    f"{fmt(row['rmse_a'], 4)} | {fmt(row['rmse_b'], 4)} |"
                )
    lines += [
        "",
        "| size | tool | CPU seconds | iterations | converged | ours: seconds inside the binary |",
        "|---|---|---:|---:|---|---:|",
    ]
    for entry in report["sizes"]:
        for tool in TOOLS:
            row = entry["tools"].get(tool)
            if row:
                iterations = "–" if row["iterations"] is None else str(row["iterations"])
                converged = "–" if row["converged"] is None else ("yes" if row["converged"] else "no")
                inside = fmt(row.get("reported_seconds"), 2) if tool == "ours" else ""
                lines.append(
                    f"| {entry['size']} | {tool} | {fmt(row['cpu_seconds'], 2)} | {iterations} | "
                    f"{converged} | {inside} |"
                )
    lines.append("")
    for entry in report["sizes"]:
        if not entry["checks"]:
            continue
        lines.append(f"Checks at {entry['size']}:")
        for check in entry["checks"]:
            mark = "PASS" if check["passed"] else "FAIL"
            if "faster" in check["check"]:
                detail = f"speed-up {check['value']:.2f}x (needs {'>' if check['limit'] == 1.0 else '>='} {check['limit']:g}x)"
            else:
                detail = f"{check['value']:.4f} vs limit {check['limit']:.4f}"
            lines.append(f"- {mark}: {check['check']}: {detail}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=REPO_ROOT / "target/release/getmycert",
                        help="the getmycert binary (default: target/release/getmycert in the repository)")
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES),
                        help="comma-separated PERSONSxITEMS (default: %(default)s)")
    parser.add_argument("--tools", default=",".join(TOOLS),
                        help="comma-separated subset of ours,girth,mirt (default: all)")
    parser.add_argument("--seed", type=int, default=20240,
                        help="simulation seed; each size draws from (seed, persons, items)")
    parser.add_argument("--json", action="store_true", help="print every figure as JSON instead of Markdown")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    args = parser.parse_args()

    try:
        sizes = [parse_size(s.strip()) for s in args.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as e:
        parser.error(str(e))
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}")
    binary = args.binary if args.binary.is_absolute() else (Path.cwd() / args.binary)
    if "ours" in tools and not binary.is_file():
        # A relative default is meant from the repository root.
        alt = REPO_ROOT / args.binary
        if alt.is_file():
            binary = alt
        else:
            parser.error(f"{binary}: no such binary; build it with `cargo build --release -p getmycert`")

    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "processor": _cpu_model(),
            "cores": os.cpu_count(),
            "load_average_at_start": list(os.getloadavg()),
        },
        "versions": versions(),
        "blas": blas_info(),
        "seed": args.seed,
        "quadrature_points": QUADRATURE_POINTS,
        "binary": str(binary) if "ours" in tools else None,
        "sizes": [],
    }
    fitters = {
        "ours": lambda r, d: fit_ours(binary, r, d),
        "girth": lambda r, d: fit_girth(r),
        "mirt": lambda r, d: fit_mirt(r),
    }
    with tempfile.TemporaryDirectory(prefix="irt-reference-") as tmp:
        for persons, items in sizes:
            responses, a_true, b_true = simulate(persons, items, args.seed)
            label = f"{persons}x{items}"
            rows = {}
            for tool in TOOLS:
                if tool not in tools:
                    continue
                print(f"[{label}] {tool} ...", file=sys.stderr, flush=True)
                row = fitters[tool](responses, Path(tmp))
                row["rmse_a"] = rmse(row["a"], a_true)
                row["rmse_b"] = rmse(row["b"], b_true)
                print(
                    f"[{label}] {tool}: {row['seconds']:.2f} s, RMSE a {row['rmse_a']:.4f}, "
                    f"RMSE b {row['rmse_b']:.4f}, iterations {row['iterations']}, converged {row['converged']}",
                    file=sys.stderr,
                    flush=True,
                )
                rows[tool] = row
            report["sizes"].append({
                "size": label,
                "persons": persons,
                "items": items,
                "proportion_correct": float(responses.mean()),
                "true": {"a": a_true.tolist(), "b": b_true.tolist()},
                "tools": rows,
                "checks": checks_for((persons, items), rows),
            })

    report["machine"]["load_average_at_end"] = list(os.getloadavg())
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(markdown(report), end="")
    failed = any(not c["passed"] for entry in report["sizes"] for c in entry["checks"])
    return 1 if (args.strict and failed) else 0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
