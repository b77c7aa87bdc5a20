//! Charts drawn on the server as inline SVG: no script, nothing the Content-Security-Policy
//! has to allow (colours come from classes in `style.css`, so dark mode follows the page).
//! Each chart names itself (`<title>`, `<desc>`, `role="img"`); the page puts the figures in a
//! table beside it for screen readers and keyboard users.

use std::fmt::Write;

/// The drawing area, in SVG units.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 32.0;

/// One point of a score chart: its label on the x axis, the score and its interval.
#[derive(Debug, Clone)]
pub struct ScorePoint {
    pub label: String,
    pub score: u32,
    pub low: u32,
    pub high: u32,
}

/// Text safe inside SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(id: &str, title: &str, desc: &str) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    )
}

/// x of the `i`-th of `n` evenly spaced slots (centres).
fn slot(i: usize, n: usize) -> f64 {
    let inner = WIDTH - LEFT - RIGHT;
    LEFT + inner * (i as f64 + 0.5) / n.max(1) as f64
}

/// Labels on the x axis, thinned so that at most about eight show.
fn x_labels(svg: &mut String, labels: &[String]) {
    let every = labels.len().div_ceil(8).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                slot(i, labels.len()),
                HEIGHT - 10.0,
                escape(label)
            );
        }
    }
}

/// Grid lines across the chart at `ticks`, labelled on the y axis.
fn y_ticks(svg: &mut String, ticks: &[u64], y: impl Fn(u64) -> f64) {
    for &tick in ticks {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            WIDTH - RIGHT,
            y(tick),
            y(tick),
            LEFT - 6.0,
            y(tick) + 4.0
        );
    }
}

/// Scores on the exam's 100–1000 scale over time: a line through the scores, each with its
/// interval as a whisker, and the passing score as a dashed line.
pub fn scores(id: &str, title: &str, desc: &str, points: &[ScorePoint], passing: u32) -> String {
    let y = |v: u32| {
        let v = f64::from(v.clamp(100, 1000));
        TOP + (HEIGHT - TOP - BOTTOM) * (1000.0 - v) / 900.0
    };
    let mut svg = open(id, title, desc);
    y_ticks(&mut svg, &[100, 400, 700, 1000], |v| y(v as u32));
    let _ = write!(
        svg,
        "<line class=\"pass\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
         <text class=\"pass-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">pass {passing}</text>",
        WIDTH - RIGHT,
        y(passing),
        y(passing),
        WIDTH - RIGHT - 4.0,
        y(passing) - 4.0
    );
    let n = points.len();
    for (i, p) in points.iter().enumerate() {
        let x = slot(i, n);
        let _ = write!(
            svg,
            "<line class=\"whisker\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
            y(p.low),
            y(p.high)
        );
    }
    if n > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", slot(i, n), y(p.score)))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"series\" points=\"{}\"/>",
            path.join(" ")
        );
    }
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"/>",
            slot(i, n),
            y(p.score)
        );
    }
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    x_labels(&mut svg, &labels);
    svg.push_str("</svg>");
    svg
}

/// Bars of counts (answers a week, minutes a week, cards due a day).
pub fn bars(id: &str, title: &str, desc: &str, bars: &[(String, u64)]) -> String {
    let top = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    // A round top for the scale: 1, 2 or 5 times a power of ten.
    let mut scale = 1u64;
    while scale < top {
        scale = match scale.to_string().as_bytes()[0] {
            b'1' => scale * 2,
            b'2' => scale / 2 * 5,
            _ => scale * 2,
        };
    }
    let height = HEIGHT - TOP - BOTTOM;
    let y = |v: u64| TOP + height * (1.0 - v as f64 / scale as f64);
    let mut svg = open(id, title, desc);
    y_ticks(&mut svg, &[0, scale / 2, scale], y);
    let n = bars.len();
    let width = ((WIDTH - LEFT - RIGHT) / n.max(1) as f64 * 0.7).min(48.0);
    for (i, (_, value)) in bars.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\"/>",
            slot(i, n) - width / 2.0,
            y(*value),
            height * *value as f64 / scale as f64
        );
    }
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    x_labels(&mut svg, &labels);
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn a_score_chart_draws_each_point_its_interval_and_the_pass_line() {
        let points: Vec<ScorePoint> = [(640, 580, 700), (710, 650, 770), (760, 700, 820)]
            .iter()
            .enumerate()
            .map(|(i, &(score, low, high))| ScorePoint {
                label: format!("#{i}"),
                score,
                low,
                high,
            })
            .collect();
        let svg = scores("s", "Scores & more", "Three <sittings>", &points, 700);
        assert_eq!(count(&svg, "<circle"), 3);
        assert_eq!(count(&svg, "class=\"whisker\""), 3);
        assert_eq!(count(&svg, "class=\"pass\""), 1);
        assert!(svg.contains("<title id=\"s-title\">Scores &amp; more</title>"));
        assert!(svg.contains("Three &lt;sittings&gt;"));
        assert!(
            !svg.contains("style="),
            "no inline style: the CSP forbids it"
        );
        // 700 sits a third of the way down a 100–1000 axis.
        let pass_y = TOP + (HEIGHT - TOP - BOTTOM) * 300.0 / 900.0;
        assert!(svg.contains(&format!("y1=\"{pass_y:.1}\"")), "{svg}");
    }

    #[test]
    fn bars_scale_to_a_round_top() {
        let data: Vec<(String, u64)> = vec![("a".into(), 0), ("b".into(), 37), ("c".into(), 12)];
        let svg = bars("b", "t", "d", &data);
        assert_eq!(count(&svg, "<rect"), 3);
        assert!(svg.contains(">50</text>"), "37 rounds up to 50: {svg}");
        let empty = bars("e", "t", "d", &[]);
        assert_eq!(count(&empty, "<rect"), 0);
    }
}
