use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::exam::Level;
use crate::fixtures::sample_exam;

fn candidate(i: usize, domain: u8, task: u8, status: ItemStatus) -> Candidate {
    Candidate {
        id: QuestionId::parse(&format!("item-{i:04}")).expect("id"),
        hash: format!("h{i}"),
        status,
        domain,
        task,
        parts: 1,
        last_seen: None,
    }
}

/// `per_task` live items for every task of `exam`, plus `pilots` pilot items.
fn bank(exam: &Exam, per_task: usize, pilots: usize) -> Vec<Candidate> {
    let mut out = Vec::new();
    for d in &exam.domains {
        for t in 1..=5u8 {
            for _ in 0..per_task {
                out.push(candidate(out.len(), d.number, t, ItemStatus::Live));
            }
        }
    }
    for _ in 0..pilots {
        out.push(candidate(out.len(), 1, 1, ItemStatus::Pilot));
    }
    out
}

fn mls() -> Exam {
    sample_exam("MLS-C01", Level::Specialty, &[20, 24, 36, 20])
}

fn per_domain(form: &[Slot]) -> BTreeMap<u8, usize> {
    let mut counts = BTreeMap::new();
    for slot in form.iter().filter(|s| s.scored) {
        *counts.entry(slot.domain).or_default() += 1;
    }
    counts
}

#[test]
fn largest_remainder_follows_the_exam_weights() {
    assert_eq!(apportion(50, &[20, 24, 36, 20]), [10, 12, 18, 10]);
    assert_eq!(apportion(50, &[20, 24, 28, 14, 14]), [10, 12, 14, 7, 7]);
    assert_eq!(apportion(65, &[31, 26, 20, 12, 11]), [20, 17, 13, 8, 7]);
    assert_eq!(apportion(50, &[28, 26, 22, 24]), [14, 13, 11, 12]);
}

#[test]
fn an_exam_form_has_the_real_counts_and_follows_the_blueprint() {
    let exam = mls();
    let form = draw_exam(&exam, &bank(&exam, 6, 20), 7).expect("a form");
    assert_eq!(form.len(), 65);
    assert_eq!(form.iter().filter(|s| s.scored).count(), 50);
    assert_eq!(
        per_domain(&form),
        BTreeMap::from([(1, 10), (2, 12), (3, 18), (4, 10)])
    );
    let ids: HashSet<_> = form.iter().map(|s| &s.id).collect();
    assert_eq!(ids.len(), 65, "no item twice");
}

#[test]
fn unscored_slots_carry_pilots_first_then_unused_live_items() {
    let exam = mls();
    let with_pilots = draw_exam(&exam, &bank(&exam, 6, 20), 1).expect("form");
    let pilots: HashSet<_> = bank(&exam, 6, 20)
        .into_iter()
        .filter(|c| c.status == ItemStatus::Pilot)
        .map(|c| c.id)
        .collect();
    assert!(
        with_pilots
            .iter()
            .filter(|s| !s.scored)
            .all(|s| pilots.contains(&s.id))
    );
    assert!(
        with_pilots
            .iter()
            .filter(|s| s.scored)
            .all(|s| !pilots.contains(&s.id))
    );
    let without = draw_exam(&exam, &bank(&exam, 6, 3), 1).expect("form");
    let unscored: Vec<_> = without.iter().filter(|s| !s.scored).collect();
    assert_eq!(unscored.len(), 15);
    assert_eq!(
        unscored.iter().filter(|s| pilots.contains(&s.id)).count(),
        3
    );
}

#[test]
fn the_same_seed_replays_the_same_form() {
    let exam = mls();
    let items = bank(&exam, 6, 20);
    assert_eq!(draw_exam(&exam, &items, 42), draw_exam(&exam, &items, 42));
    assert_ne!(draw_exam(&exam, &items, 42), draw_exam(&exam, &items, 43));
}

#[test]
fn unseen_items_come_before_seen_ones_and_the_oldest_seen_first() {
    let exam = sample_exam("AIF-C01", Level::Foundational, &[100]);
    let mut items: Vec<Candidate> = (0..120)
        .map(|i| candidate(i, 1, (i % 5) as u8 + 1, ItemStatus::Live))
        .collect();
    for (i, c) in items.iter_mut().enumerate().take(60) {
        c.last_seen = Some(i as i64);
    }
    let form = draw_exam(&exam, &items, 3).expect("form");
    let scored: Vec<_> = form.iter().filter(|s| s.scored).collect();
    let seen: HashSet<_> = items[..60].iter().map(|c| &c.id).collect();
    assert!(
        scored.iter().all(|s| !seen.contains(&s.id)),
        "60 unseen items cover 50 slots"
    );
    // With only 30 unseen, 20 seen items fill in: the least recently seen ones.
    let form = draw_exam(&exam, &items[..90], 3).expect("form");
    let picked_seen: Vec<i64> = form
        .iter()
        .filter(|s| s.scored)
        .filter_map(|s| {
            items
                .iter()
                .find(|c| c.id == s.id)
                .and_then(|c| c.last_seen)
        })
        .collect();
    assert_eq!(picked_seen.len(), 20);
    assert!(picked_seen.iter().all(|t| *t < 20), "{picked_seen:?}");
}

#[test]
fn scored_items_spread_over_task_statements() {
    let exam = mls();
    let form = draw_exam(&exam, &bank(&exam, 6, 20), 9).expect("form");
    let mut domain3: BTreeMap<u8, usize> = BTreeMap::new();
    for s in form.iter().filter(|s| s.scored && s.domain == 3) {
        *domain3.entry(s.task).or_default() += 1;
    }
    assert_eq!(domain3.len(), 5, "all five tasks of domain 3 appear");
    assert!(domain3.values().all(|n| (3..=4).contains(n)), "{domain3:?}");
}

#[test]
fn a_small_bank_is_a_clear_error() {
    let exam = mls();
    let mut items = bank(&exam, 6, 20);
    items.retain(|c| !(c.domain == 3 && c.task > 2));
    assert_eq!(
        draw_exam(&exam, &items, 1),
        Err(DrawError::NotEnoughInDomain {
            domain: 3,
            needed: 18,
            available: 12
        })
    );
}

#[test]
fn case_studies_keep_their_parts_together() {
    let exam = sample_exam("AIF-C01", Level::Foundational, &[50, 50]);
    let mut items = bank(&exam, 6, 15);
    for c in items.iter_mut().take(6) {
        c.parts = 3;
    }
    let form = draw_exam(&exam, &items, 5).expect("form");
    assert_eq!(form.len(), 65);
    for (i, slot) in form.iter().enumerate() {
        if slot.part > 0 {
            assert_eq!(form[i - 1].id, slot.id);
            assert_eq!(form[i - 1].part + 1, slot.part);
        }
    }
}

proptest! {
    #[test]
    fn apportion_sums_and_stays_within_one_of_the_exact_share(
        total in 0usize..200,
        weights in prop::collection::vec(1u32..60, 1..7),
    ) {
        let counts = apportion(total, &weights);
        prop_assert_eq!(counts.iter().sum::<usize>(), total);
        let sum: u32 = weights.iter().sum();
        for (c, w) in counts.iter().zip(&weights) {
            let exact = total as f64 * f64::from(*w) / f64::from(sum);
            prop_assert!((*c as f64 - exact).abs() < 1.0);
        }
    }

    #[test]
    fn any_large_enough_bank_gives_a_form_that_follows_the_weights(
        per_task in 4usize..9,
        pilots in 0usize..30,
        seed in any::<u64>(),
    ) {
        let exam = sample_exam("AIF-C01", Level::Foundational, &[20, 24, 28, 14, 14]);
        let form = draw_exam(&exam, &bank(&exam, per_task, pilots), seed).expect("form");
        prop_assert_eq!(form.len(), 65);
        let expected: BTreeMap<u8, usize> = [(1, 10), (2, 12), (3, 14), (4, 7), (5, 7)].into();
        prop_assert_eq!(per_domain(&form), expected);
        let unique: HashSet<_> = form.iter().map(|s| (&s.id, s.part)).collect();
        prop_assert_eq!(unique.len(), 65);
    }
}

#[test]
fn a_practice_set_makes_room_for_a_case_study_when_only_that_fills_it() {
    // Three single questions and one three-part case study: five parts can only be the case
    // and two singles, whichever order the draw meets them in.
    let mut bank: Vec<Candidate> = (0..4)
        .map(|i| candidate(i, 1, i as u8 + 1, ItemStatus::Live))
        .collect();
    bank[3].parts = 3;
    for seed in 0..200 {
        let form = draw_practice(&bank, 5, seed).expect("a set of five");
        assert_eq!(form.len(), 5, "seed {seed}");
        assert_eq!(
            form.iter().filter(|s| s.id == bank[3].id).count(),
            3,
            "seed {seed}: the case study whole"
        );
    }
    assert!(matches!(draw_practice(&bank, 6, 1).map(|f| f.len()), Ok(6)));
}
