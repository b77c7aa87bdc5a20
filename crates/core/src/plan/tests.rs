use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::exam::ExamState;
use crate::fixtures::sample_exam as exam;

fn catalog() -> Vec<Exam> {
    let mut mls = exam("MLS-C01", Level::Specialty, &[20, 24, 36, 20]);
    mls.status.state = ExamState::Retired;
    mls.status.last_exam_day = Some(date!(2026 - 03 - 31));
    mls.successors = vec![
        ExamCode::parse("MLA-C01").expect("code"),
        ExamCode::parse("AIP-C01").expect("code"),
    ];
    vec![
        exam("AIF-C01", Level::Foundational, &[20, 24, 28, 14, 14]),
        exam("CLF-C02", Level::Foundational, &[24, 30, 34, 12]),
        exam("MLA-C01", Level::Associate, &[28, 26, 22, 24]),
        exam("SAA-C03", Level::Associate, &[30, 26, 24, 20]),
        exam("AIP-C01", Level::Professional, &[31, 26, 20, 12, 11]),
        mls,
    ]
}

const TODAY: Date = date!(2026 - 11 - 26);

fn form(exam: &str, ml: &str, aws: &str, hours: &str, date: &str) -> PlanForm {
    PlanForm {
        exam: exam.into(),
        ml_years: ml.into(),
        aws_years: aws.into(),
        hours_per_week: hours.into(),
        exam_date: date.into(),
    }
}

fn plan_for(f: &PlanForm) -> StudyPlan {
    let catalog = catalog();
    let request = PlanRequest::parse(f, &catalog, TODAY).expect("valid form");
    advise(&request, &catalog).expect("plan")
}

fn codes(plan: &StudyPlan) -> Vec<&str> {
    plan.stages.iter().map(|s| s.exam.as_str()).collect()
}

#[test]
fn experienced_practitioners_go_straight_to_a_professional_exam_in_three_to_four_months() {
    let plan = plan_for(&form("aip-c01", "3", "2", "10", ""));
    assert_eq!(plan.route, Route::Direct);
    assert_eq!(codes(&plan), ["AIP-C01"]);
    let months = plan.weeks.len() as f64 / 4.345;
    assert!((3.0..=4.0).contains(&months), "{months} months");
}

#[test]
fn newcomers_build_the_foundation_first_over_six_to_twelve_months() {
    let plan = plan_for(&form("AIP-C01", "0", "0", "8", ""));
    assert_eq!(plan.route, Route::FoundationFirst);
    assert_eq!(codes(&plan), ["AIF-C01", "MLA-C01", "AIP-C01"]);
    let months = plan.weeks.len() as f64 / 4.345;
    assert!((6.0..=12.0).contains(&months), "{months} months");
}

#[test]
fn ml_practitioners_new_to_aws_start_with_cloud_practitioner() {
    let plan = plan_for(&form("MLA-C01", "4", "0", "10", ""));
    assert_eq!(codes(&plan), ["CLF-C02", "MLA-C01"]);
}

#[test]
fn some_ml_experience_goes_through_the_associate_exam() {
    let plan = plan_for(&form("AIP-C01", "1.5", "3", "10", ""));
    assert_eq!(plan.route, Route::ViaAssociate);
    assert_eq!(codes(&plan), ["MLA-C01", "AIP-C01"]);
}

#[test]
fn every_week_holds_the_weekly_hours_and_ends_each_stage_with_an_exam_week() {
    let plan = plan_for(&form("AIP-C01", "0", "0", "7.5", ""));
    for week in &plan.weeks {
        let sum: f64 = week.focus.iter().map(|f| f.hours).sum();
        assert!(
            (sum - 7.5).abs() < 1e-6,
            "week {} has {sum} hours",
            week.number
        );
    }
    for stage in &plan.stages {
        let weeks: Vec<_> = plan.weeks.iter().filter(|w| w.exam == stage.exam).collect();
        assert_eq!(weeks.len() as u32, stage.weeks);
        let last = weeks.last().expect("a week");
        assert_eq!(last.kind, WeekKind::Exam);
        assert!(last.milestones.iter().any(|m| m.contains("Exam week")));
        assert_eq!(weeks.iter().filter(|w| w.kind == WeekKind::Exam).count(), 1);
        assert!(
            weeks
                .iter()
                .any(|w| w.milestones.iter().any(|m| m.contains("simulation"))),
            "stage {} has no simulation",
            stage.exam
        );
    }
    assert!(plan.weeks.iter().any(|w| w.kind == WeekKind::Review));
    let numbers: Vec<u32> = plan.weeks.iter().map(|w| w.number).collect();
    assert_eq!(numbers, (1..=plan.weeks.len() as u32).collect::<Vec<_>>());
}

#[test]
fn a_date_too_close_is_called_out_with_what_would_work() {
    let plan = plan_for(&form("AIP-C01", "3", "3", "5", "2027-01-07"));
    assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
    let warning = &plan.warnings[0];
    assert!(warning.contains("leaves 6 week(s)"), "{warning}");
    assert!(warning.contains("needs 28 weeks"), "{warning}");
}

#[test]
fn a_date_with_enough_time_gives_no_shortfall_warning() {
    let plan = plan_for(&form("AIP-C01", "3", "3", "10", "2027-03-20"));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn bad_input_gets_a_message_at_each_field() {
    let catalog = catalog();
    let errors = PlanRequest::parse(
        &form("XYZ-C09", "-1", "abc", "-5", "2020-01-01"),
        &catalog,
        TODAY,
    )
    .expect_err("invalid");
    assert!(errors["exam"].contains("no exam XYZ-C09"), "{errors:?}");
    assert!(errors["ml_years"].contains("negative"), "{errors:?}");
    assert!(errors["aws_years"].contains("number"), "{errors:?}");
    assert!(errors["hours_per_week"].contains("negative"), "{errors:?}");
    assert!(
        errors["exam_date"].contains("not in the future"),
        "{errors:?}"
    );
}

#[test]
fn a_retired_exam_is_refused_with_its_successors() {
    let errors = PlanRequest::parse(&form("mls-c01", "3", "3", "10", ""), &catalog(), TODAY)
        .expect_err("retired");
    assert!(errors["exam"].contains("2026-03-31"), "{errors:?}");
    assert!(errors["exam"].contains("MLA-C01 or AIP-C01"), "{errors:?}");
}

#[test]
fn empty_and_absurd_values_are_refused() {
    let errors = PlanRequest::parse(&form("", "", "100", "200", "15/03/2027"), &catalog(), TODAY)
        .expect_err("invalid");
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(errors["hours_per_week"].contains("at most 80"));
    assert!(errors["exam_date"].contains("YYYY-MM-DD"));
}

proptest! {
    #[test]
    fn hours_per_domain_follow_the_weights(
        target in prop::sample::select(vec!["AIF-C01", "CLF-C02", "MLA-C01", "SAA-C03", "AIP-C01"]),
        ml in 0.0f64..8.0,
        aws in 0.0f64..8.0,
        hours in 1.0f64..60.0,
    ) {
        let catalog = catalog();
        let f = form(target, &ml.to_string(), &aws.to_string(), &hours.to_string(), "");
        let request = PlanRequest::parse(&f, &catalog, TODAY).expect("valid");
        let plan = advise(&request, &catalog).expect("plan");
        prop_assert_eq!(plan.stages.last().map(|s| s.exam.as_str()), Some(target));
        for stage in &plan.stages {
            let exam = catalog.iter().find(|e| e.code == stage.exam).expect("exam");
            for domain in &exam.domains {
                let planned: f64 = plan.weeks.iter()
                    .filter(|w| w.exam == stage.exam)
                    .flat_map(|w| &w.focus)
                    .filter(|f| f.domain == domain.number)
                    .map(|f| f.hours)
                    .sum();
                let expected = stage.hours * f64::from(domain.weight) / 100.0;
                prop_assert!((planned - expected).abs() < 1e-6,
                    "{} domain {}: planned {} expected {}", stage.exam, domain.number, planned, expected);
            }
        }
        let total: f64 = plan.weeks.iter().flat_map(|w| &w.focus).map(|f| f.hours).sum();
        prop_assert!((total - plan.total_hours).abs() < 1e-6);
    }
}

#[test]
fn calendar_blocks_cover_every_focus_once_and_keep_their_ids_across_requests() {
    let plan = plan_for(&form("MLA-C01", "1", "1", "6", ""));
    let blocks = plan.blocks(None);
    let focus: usize = plan.weeks.iter().map(|w| w.focus.len()).sum();
    assert_eq!(
        blocks.len(),
        focus + 1,
        "a block per focus and the exam day"
    );
    let ids: std::collections::HashSet<&str> = blocks.iter().map(|b| b.uid.as_str()).collect();
    assert_eq!(ids.len(), blocks.len(), "ids are unique");
    let weeks = plan
        .weeks
        .iter()
        .flat_map(|w| w.focus.iter().map(move |_| w));
    for (block, week) in blocks.iter().zip(weeks) {
        assert!(
            block.day >= week.starts && block.day < week.starts + time::Duration::days(7),
            "{block:?} falls in its week"
        );
    }
    let exam = blocks.last().expect("the exam day");
    assert_eq!(exam.day, plan.finishes);
    let dated = plan.blocks(Some(date!(2027 - 06 - 01)));
    assert_eq!(dated.last().map(|b| b.day), Some(date!(2027 - 06 - 01)));
    // The same request gives the same entries: importing it again updates, never doubles.
    assert_eq!(
        plan_for(&form("MLA-C01", "1", "1", "6", "")).blocks(None),
        blocks
    );
    // Another pace: the exam day keeps its id, and a week's domain block keeps its own.
    let faster = plan_for(&form("MLA-C01", "1", "1", "12", "")).blocks(None);
    assert!(faster.len() < blocks.len());
    assert_eq!(faster.last().map(|b| &b.uid), blocks.last().map(|b| &b.uid));
    assert!(faster.iter().any(|b| ids.contains(b.uid.as_str())));
}

proptest! {
    /// With any history: every week still spends exactly the weekly budget, each stage's
    /// domain hours sum to the stage's hours, no domain falls under its floor, and a domain the
    /// learner has mastered best gets less than its blueprint share.
    #[test]
    fn an_adapted_plan_spends_the_budget_and_keeps_every_domain(
        mastery in prop::collection::vec(prop::option::of(0.0f64..=1.0), 4),
        hours in 3u32..25,
    ) {
        let catalog = catalog();
        let request = PlanRequest::parse(&form("MLA-C01", "2", "2", &hours.to_string(), ""), &catalog, TODAY)
            .expect("valid");
        let known: Mastery = [(
            "MLA-C01".to_owned(),
            mastery.iter().enumerate().map(|(i, p)| (i as u8 + 1, *p)).collect(),
        )]
        .into();
        let plan = advise_for(&request, &catalog, &known).expect("plan");
        for week in &plan.weeks {
            let spent: f64 = week.focus.iter().map(|f| f.hours).sum();
            prop_assert!((spent - f64::from(hours)).abs() < 1e-6, "week {} spends {spent}", week.number);
        }
        let stage = plan.stages.iter().find(|s| s.exam.as_str() == "MLA-C01").expect("stage");
        let spent: f64 = stage.domain_hours.iter().map(|d| d.hours).sum();
        prop_assert!((spent - stage.hours).abs() < 1e-6);
        let weights = [28.0, 26.0, 22.0, 24.0];
        for (d, w) in stage.domain_hours.iter().zip(weights) {
            prop_assert!(d.hours >= FLOOR * stage.hours * w / 100.0 - 1e-6);
        }
        prop_assert_eq!(stage.adapted, mastery.iter().any(Option::is_some));
    }
}

#[test]
fn a_weak_domain_gets_more_of_the_plan_than_its_weight() {
    let catalog = catalog();
    let request =
        PlanRequest::parse(&form("MLA-C01", "2", "2", "8", ""), &catalog, TODAY).expect("valid");
    let known: Mastery = [(
        "MLA-C01".to_owned(),
        vec![(1, Some(0.95)), (2, Some(0.1)), (3, Some(0.9)), (4, None)],
    )]
    .into();
    let plan = advise_for(&request, &catalog, &known).expect("plan");
    let stage = &plan.stages[0];
    let share = |d: usize| stage.domain_hours[d].hours / stage.hours;
    assert!(
        share(1) > 0.26,
        "domain 2 (weak) above its 26%: {}",
        share(1)
    );
    assert!(
        share(0) < 0.28,
        "domain 1 (mastered) below its 28%: {}",
        share(0)
    );
    assert!(stage.adapted);
    assert!(!advise(&request, &catalog).expect("plan").stages[0].adapted);
}
