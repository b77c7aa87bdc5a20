//! Per-exam figures of a bank (the `content stats` JSON) and the warnings they call for:
//! blueprint shares of the pool a simulation draws from, task statements without items, key
//! positions out of balance, keys that are the longest option too often.

use std::collections::BTreeMap;

use serde::Serialize;

use getmycert_core::{Difficulty, Exam, ItemStatus, PartKind, QuestionType};

use super::check::ItemFile;

/// Allowed distance of a domain's share of live items from its weight, in percentage points.
pub const DOMAIN_SHARE_TOLERANCE: f64 = 2.0;

/// Figures for one exam (the `content stats` JSON).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ExamStats {
    pub live: usize,
    pub pilot: usize,
    pub draft: usize,
    pub domains: BTreeMap<String, usize>,
    pub tasks: BTreeMap<String, usize>,
    pub types: BTreeMap<String, usize>,
    pub difficulty: BTreeMap<String, usize>,
    /// Share of single/multiple parts whose key (a key) is the strictly longest option.
    pub key_longest_rate: f64,
    /// The same rate if keys were placed at random: keys / options, averaged.
    pub key_longest_chance: f64,
    pub key_positions: BTreeMap<String, usize>,
}

/// Figures for the whole bank.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Stats {
    pub exams: BTreeMap<String, ExamStats>,
    /// `[id, id, similarity]`, most similar first.
    pub near_duplicates: Vec<(String, String, f64)>,
}

/// `part` of `whole` in percent (0 when `whole` is 0).
fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The figures of `exam` over the items mapped to it, and the warnings they call for; `None`
/// when no item is mapped to the exam.
pub(super) fn exam_figures(exam: &Exam, items: &[ItemFile]) -> Option<(ExamStats, Vec<String>)> {
    let mapped: Vec<&ItemFile> = items
        .iter()
        .filter(|i| i.question.mapping_for(&exam.code).is_some())
        .collect();
    if mapped.is_empty() {
        return None;
    }
    let mut warnings = Vec::new();
    let mut stats = ExamStats::default();
    for domain in &exam.domains {
        stats.domains.insert(domain.number.to_string(), 0);
        for (label, _) in domain.numbered_tasks() {
            stats.tasks.insert(label, 0);
        }
    }
    for kind in QuestionType::ALL {
        stats.types.insert(kind.as_str().into(), 0);
    }
    for d in Difficulty::ALL {
        stats.difficulty.insert(d.as_str().into(), 0);
    }
    let (mut longest, mut chance, mut choice_parts) = (0usize, 0.0f64, 0usize);
    let mut expected_positions: BTreeMap<char, f64> = BTreeMap::new();
    for item in &mapped {
        let q = &item.question;
        match q.status {
            ItemStatus::Live => stats.live += 1,
            ItemStatus::Pilot => stats.pilot += 1,
            ItemStatus::Draft => stats.draft += 1,
            ItemStatus::Retired => {}
        }
        if q.status != ItemStatus::Live {
            continue;
        }
        let Some(m) = q.mapping_for(&exam.code) else {
            continue;
        };
        *stats.domains.entry(m.domain.to_string()).or_default() += 1;
        *stats.tasks.entry(m.task_label()).or_default() += 1;
        *stats.types.entry(q.kind.as_str().into()).or_default() += 1;
        *stats
            .difficulty
            .entry(q.difficulty.as_str().into())
            .or_default() += 1;
        for part in q
            .parts
            .iter()
            .filter(|p| matches!(p.kind, PartKind::Single | PartKind::Multiple))
        {
            choice_parts += 1;
            let keys = part.keys();
            let n = part.options.len();
            for key in &keys {
                *stats.key_positions.entry(key.to_string()).or_default() += 1;
            }
            for o in &part.options {
                *expected_positions.entry(o.id).or_default() += keys.len() as f64 / n as f64;
            }
            chance += keys.len() as f64 / n as f64;
            let max_len = part
                .options
                .iter()
                .map(|o| o.text.chars().count())
                .max()
                .unwrap_or(0);
            let at_max: Vec<_> = part
                .options
                .iter()
                .filter(|o| o.text.chars().count() == max_len)
                .collect();
            if at_max.len() == 1 && at_max[0].correct {
                longest += 1;
            }
        }
    }
    if choice_parts > 0 {
        stats.key_longest_rate = (longest as f64 / choice_parts as f64 * 1000.0).round() / 1000.0;
        stats.key_longest_chance = (chance / choice_parts as f64 * 1000.0).round() / 1000.0;
    }
    // Blueprint warnings apply once an exam has items written for it (their first mapping is
    // this exam), and then count the whole pool a simulation draws from: every live item
    // mapped here, items written for another exam included. Until then the exam only borrows
    // items and is not held to its weights.
    let written_for = mapped.iter().any(|i| {
        i.question.status == ItemStatus::Live
            && i.question
                .mappings
                .first()
                .is_some_and(|m| m.exam == exam.code)
    });
    if written_for {
        for domain in &exam.domains {
            let n = stats
                .domains
                .get(&domain.number.to_string())
                .copied()
                .unwrap_or(0);
            let share = pct(n, stats.live);
            if (share - f64::from(domain.weight)).abs() > DOMAIN_SHARE_TOLERANCE {
                warnings.push(format!(
                    "domain {} has {n} of {} live items ({share:.1}%) against a weight of {}%",
                    domain.number, stats.live, domain.weight
                ));
            }
        }
        let empty: Vec<&str> = stats
            .tasks
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(t, _)| t.as_str())
            .collect();
        if !empty.is_empty() {
            warnings.push(format!(
                "{} task statement(s) have no live items: {}",
                empty.len(),
                empty.join(", ")
            ));
        }
    }
    if choice_parts >= 10 && stats.key_longest_rate > stats.key_longest_chance + 0.10 {
        warnings.push(format!(
                "the key is the longest option in {:.0}% of {choice_parts} single/multiple questions (chance: {:.0}%); lengthen the distractors",
                stats.key_longest_rate * 100.0,
                stats.key_longest_chance * 100.0
            ),
        );
    }
    let total_keys: usize = stats.key_positions.values().sum();
    if total_keys >= 20 {
        for (letter, expected) in &expected_positions {
            let observed = stats
                .key_positions
                .get(&letter.to_string())
                .copied()
                .unwrap_or(0) as f64;
            if (observed - expected).abs() > 2.0 * expected.sqrt() + 1.0 {
                warnings.push(format!(
                        "key position {letter} is used {observed:.0} times where balance would give about {expected:.0}"
                    ),
                );
            }
        }
    }
    Some((stats, warnings))
}
