//! Spaced repetition through the engine with a moving clock, on both backends: answers become
//! cards, wrong ones fall due first, a review set serves exactly the due items, and each
//! attempt item is graded once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use getmycert_content::testing::repository_content;
use getmycert_content::{Content, ContentSource};
use getmycert_core::scoring::Response;
use getmycert_core::{Mode, PartKind};
use getmycert_engine::{Engine, EngineError, ServedItem, StartRequest};
use getmycert_store::prelude::*;
use getmycert_store::testing::TestDatabase;
use time::{Duration, OffsetDateTime};

/// One test per backend for each `async fn(Arc<dyn Store>)`; PostgreSQL's is skipped outside CI
/// when unreachable (and fails under `CI=true`, as `TestDatabase::postgres` does).
macro_rules! on_both_backends {
    ($($sqlite:ident, $postgres:ident => $body:ident;)*) => {$(
        #[tokio::test]
        async fn $sqlite() {
            let db = TestDatabase::sqlite();
            $body(getmycert_store::connect(&db.url).await.expect("connect")).await;
        }

        #[tokio::test]
        async fn $postgres() {
            let Some(db) = TestDatabase::postgres().await else {
                return;
            };
            $body(getmycert_store::connect(&db.url).await.expect("connect")).await;
        }
    )*};
}

/// The first option(s), the displayed order, or every prompt matched to A.
fn first_answer(item: &ServedItem) -> Response {
    let letters: Vec<char> = item
        .options
        .iter()
        .filter_map(|o| o.id.chars().next())
        .collect();
    match item.kind {
        PartKind::Single => Response::Selected {
            selected: vec![letters[0]],
        },
        PartKind::Multiple => Response::Selected {
            selected: letters[..item.select.expect("select")].to_vec(),
        },
        PartKind::Ordering => Response::Order { order: letters },
        PartKind::Matching => Response::Matches {
            matches: item
                .prompts
                .iter()
                .flatten()
                .map(|p| (p.id.parse().expect("prompt number"), 'A'))
                .collect(),
        },
    }
}

/// A right (or a wrong) answer to a single or multiple item, found by reading the item's key
/// in the content it was served from (the item matched by its stem, options by their text).
fn answer(item: &ServedItem, content: &Content, right: bool) -> Response {
    let part = content
        .questions
        .iter()
        .flat_map(|q| &q.parts)
        .find(|p| p.stem == item.stem)
        .expect("the served item is in the content");
    let keyed = |text: &str| part.options.iter().any(|o| o.correct && o.text == text);
    let select = item.select.unwrap_or(1);
    let mut chosen: Vec<char> = item
        .options
        .iter()
        .filter(|o| keyed(&o.text) == right)
        .filter_map(|o| o.id.chars().next())
        .collect();
    if !right {
        // A wrong multiple response: the wrong options first, topped up with keys.
        chosen.extend(
            item.options
                .iter()
                .filter(|o| keyed(&o.text))
                .filter_map(|o| o.id.chars().next()),
        );
    }
    chosen.truncate(select);
    Response::Selected { selected: chosen }
}

/// Answers every item of an attempt a minute apart, odd items right and even items wrong,
/// revealing feedback after each; returns whether each question was graded right.
async fn answer_all(
    engine: &Engine,
    owner: &str,
    id: &str,
    total: usize,
    start: OffsetDateTime,
) -> BTreeMap<String, bool> {
    let mut right: BTreeMap<String, bool> = BTreeMap::new();
    for n in 1..=total {
        let at = start + Duration::minutes(n as i64);
        let item = engine.item(owner, id, n).await.expect("item");
        let meant = n % 2 == 1;
        engine
            .respond(
                owner,
                id,
                n,
                Some(answer(&item, engine.content(), meant)),
                None,
                at,
            )
            .await
            .expect("saved");
        let reviewed = engine.reveal(owner, id, n, at).await.expect("feedback");
        assert_eq!(
            reviewed.correct, meant,
            "item {n} is graded as it was answered"
        );
        *right.entry(reviewed.id.clone()).or_insert(true) &= reviewed.correct;
    }
    right
}

/// The engine over `store` with the repository's bank synced into it.
async fn engine_over(store: &Arc<dyn Store>) -> Engine {
    let content = Content::load(&ContentSource::Dir(repository_content())).expect("content");
    let engine = Engine::new(store.clone(), Arc::new(content));
    engine.sync_content().await.expect("synced");
    engine
}

async fn run(store: Arc<dyn Store>) {
    let engine = engine_over(&store).await;
    let owner = "g-learner";
    let t0 = OffsetDateTime::now_utc();
    let request = StartRequest {
        seed: Some(5),
        count: Some(12),
        ..StartRequest::new("MLS-C01", Mode::Practice)
    };
    let view = engine.start(owner, &request, t0).await.expect("practice");
    let right = answer_all(&engine, owner, &view.id, view.total, t0).await;
    let wrong: BTreeSet<String> = right
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        !wrong.is_empty() && wrong.len() < right.len(),
        "answering odd items right and even items wrong gives both kinds of card: {right:?}"
    );

    // Revealing feedback again grades nothing twice.
    let again = engine
        .reveal(owner, &view.id, 1, t0 + Duration::minutes(30))
        .await
        .expect("feedback again");
    let card = store
        .card(owner, &again.id)
        .await
        .expect("card")
        .expect("exists");
    assert_eq!(card.reps, 1, "one grading per attempt item: {card:?}");

    let engine = &engine;
    let queue = |at| async move {
        engine
            .due(owner, at)
            .await
            .expect("due")
            .into_iter()
            .find(|d| d.exam == "MLS-C01")
            .expect("MLS-C01")
    };
    let now = queue(t0 + Duration::hours(1)).await;
    assert_eq!(now.cards, right.len(), "one card per question answered");
    assert_eq!(now.due, 0, "nothing falls due within the hour");
    assert!(now.next_due_at.is_some());
    let nothing = engine
        .start(
            owner,
            &StartRequest {
                mode: Mode::Review,
                ..request.clone()
            },
            t0 + Duration::hours(1),
        )
        .await;
    assert!(
        matches!(&nothing, Err(EngineError::Invalid { message, .. }) if message.contains("nothing is due")),
        "{nothing:?}"
    );

    // Two days on, exactly the missed questions are due (right answers given fast are Easy
    // and come back after days, misses after one day).
    let later = t0 + Duration::days(2);
    assert_eq!(queue(later).await.due, wrong.len());
    let review = engine
        .start(
            owner,
            &StartRequest {
                mode: Mode::Review,
                count: Some(100),
                ..request.clone()
            },
            later,
        )
        .await
        .expect("review set");
    let reviewed = answer_all(engine, owner, &review.id, review.total, later).await;
    assert_eq!(
        reviewed.keys().cloned().collect::<BTreeSet<_>>(),
        wrong,
        "a review set serves the due items"
    );
    for (id, ok) in &reviewed {
        let card = store.card(owner, id).await.expect("card").expect("exists");
        let lapses = 1 + i32::from(!ok);
        assert_eq!((card.reps, card.lapses), (2, lapses), "{id}: {card:?}");
        assert!(card.due_at > later);
    }
    assert_eq!(queue(later).await.due, 0, "reviewing cleared the queue");
    assert_eq!(
        store.reviews_of(owner).await.expect("log").len(),
        right.len() + reviewed.len(),
        "each question of both sets was graded once"
    );
}

/// Enough candidates sit the same simulation for every item to be calibrated; reports then
/// carry the IRT estimate and readiness reads calibrated parameters.
async fn calibrated(store: Arc<dyn Store>) {
    use rand::{Rng, SeedableRng};

    let engine = engine_over(&store).await;
    let t0 = OffsetDateTime::now_utc();
    let request = StartRequest {
        seed: Some(3),
        ..StartRequest::new("AIF-C01", Mode::Exam)
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut last = String::new();
    for k in 0..40 {
        let owner = format!("g-{k}");
        let view = engine.start(&owner, &request, t0).await.expect("start");
        for n in 1..=view.total {
            let item = engine.item(&owner, &view.id, n).await.expect("item");
            let mut answer = first_answer(&item);
            if let Response::Selected { selected } = &mut answer
                && item.kind == PartKind::Single
            {
                selected[0] = item.options[rng.random_range(0..item.options.len())]
                    .id
                    .chars()
                    .next()
                    .expect("letter");
            }
            engine
                .respond(&owner, &view.id, n, Some(answer), None, t0)
                .await
                .expect("saved");
        }
        let report = engine.submit(&owner, &view.id, t0).await.expect("submit");
        assert!(report.irt.is_none(), "nothing is calibrated yet");
        last = view.id;
    }
    let summary = engine
        .calibrate(t0 + Duration::minutes(1))
        .await
        .expect("calibrates");
    let aif = summary
        .exams
        .iter()
        .find(|e| e.exam == "AIF-C01")
        .expect("AIF-C01");
    assert_eq!((aif.candidates, aif.responses), (40, 40 * 65), "{aif:?}");
    assert_eq!(
        aif.calibrated, aif.items,
        "every item part has 40 ≥ 30 responses"
    );
    let report = engine
        .report("g-39", &last, t0 + Duration::minutes(2))
        .await
        .expect("report");
    let irt = report
        .irt
        .expect("a calibrated simulation has an IRT estimate");
    assert!(
        irt.low <= irt.scaled_score && irt.scaled_score <= irt.high,
        "{irt:?}"
    );
    assert!((0.0..=1.0).contains(&irt.p_pass));
    let readiness = engine
        .readiness("g-39", "AIF-C01")
        .await
        .expect("readiness");
    assert_eq!(readiness.calibrated_share, 1.0);
}

/// An adaptive drill grows one item at a time within its domains, never repeats an item, and
/// stops at its precision target or its cap; exposure is counted.
async fn drill(store: Arc<dyn Store>) {
    let engine = engine_over(&store).await;
    let owner = "g-driller";
    let t0 = OffsetDateTime::now_utc();
    let request = StartRequest {
        domains: vec![3],
        count: Some(12),
        seed: Some(8),
        ..StartRequest::new("MLS-C01", Mode::Drill)
    };
    let bad = engine
        .start(
            owner,
            &StartRequest {
                domains: vec![9],
                ..request.clone()
            },
            t0,
        )
        .await;
    assert!(matches!(bad, Err(EngineError::Invalid { .. })), "{bad:?}");
    let view = engine.start(owner, &request, t0).await.expect("drill");
    assert_eq!(view.total, 1, "a drill starts with one item");
    let mut ids = BTreeSet::new();
    let mut n = 1;
    let state = loop {
        let at = t0 + Duration::minutes(n as i64);
        let item = engine.item(owner, &view.id, n).await.expect("item");
        engine
            .respond(owner, &view.id, n, Some(first_answer(&item)), None, at)
            .await
            .expect("saved");
        let reviewed = engine.reveal(owner, &view.id, n, at).await.expect("fb");
        assert_eq!(reviewed.domain, 3, "only the chosen domain");
        assert!(
            ids.insert(reviewed.id.clone()),
            "{} served twice",
            reviewed.id
        );
        let now = engine.view(owner, &view.id, at).await.expect("view");
        let state = now.drill.expect("drill state");
        if state.done {
            assert_eq!(now.total, n, "nothing is added once done");
            break state;
        }
        assert_eq!(now.total, n + 1, "answering the last item adds the next");
        n += 1;
        assert!(n <= 12, "the cap stops the drill");
    };
    assert!(state.sd <= state.se_target || n == 12, "{state:?}");
    let exposure = store.drill_exposure("MLS-C01").await.expect("exposure");
    assert_eq!(exposure.get(""), Some(&1), "one drill counted");
    assert_eq!(
        exposure
            .iter()
            .filter(|(k, _)| !k.is_empty())
            .map(|(_, v)| *v)
            .sum::<i64>(),
        n as i64,
        "every served item counted once"
    );
    engine
        .submit(owner, &view.id, t0 + Duration::hours(1))
        .await
        .expect("submit");
}

/// A learner with 400 or more graded answers gets their own FSRS parameters; others keep the
/// defaults.
async fn own_parameters(store: Arc<dyn Store>) {
    use getmycert_core::review::Grade;
    use getmycert_store::{CardReview, CardRow};

    let engine = engine_over(&store).await;
    let grades = [
        Grade::Good,
        Grade::Good,
        Grade::Again,
        Grade::Good,
        Grade::Hard,
        Grade::Easy,
    ];
    let start = OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("time");
    for (owner, cards) in [("g-keen", 80), ("g-new", 10)] {
        for card in 0..cards {
            for (i, grade) in grades.iter().enumerate() {
                let day = [0, 1, 3, 4, 9, 20][i];
                let review = CardReview {
                    attempt_id: format!("{owner}-{card}-{i}"),
                    n: 1,
                    owner: owner.into(),
                    question_id: format!("q-{card}"),
                    grade: *grade,
                    reviewed_at: start + Duration::days(day),
                    elapsed_days: if i == 0 {
                        0
                    } else {
                        (day - [0, 1, 3, 4, 9, 20][i - 1]) as i32
                    },
                };
                let state = CardRow {
                    owner: owner.into(),
                    question_id: review.question_id.clone(),
                    stability: 1.0,
                    difficulty: 5.0,
                    due_at: review.reviewed_at + Duration::days(1),
                    last_review_at: review.reviewed_at,
                    reps: i as i32 + 1,
                    lapses: 0,
                };
                store
                    .record_reviews(&[(review, state)])
                    .await
                    .expect("logged");
            }
        }
    }
    assert_eq!(
        engine.fit_schedules().await.expect("fits"),
        1,
        "480 reviews: fitted; 60: not"
    );
    let own: Vec<f32> = serde_json::from_str(
        &store
            .fsrs_parameters("g-keen")
            .await
            .expect("read")
            .expect("stored"),
    )
    .expect("a JSON array");
    assert_eq!(own.len(), 21);
    assert!(own.iter().all(|w| w.is_finite()));
    assert_eq!(store.fsrs_parameters("g-new").await.expect("read"), None);
    assert_eq!(
        engine.retention("g-keen").await.expect("retention"),
        0.9,
        "storing parameters keeps the default retention"
    );
}

/// A pilot item that calibration found ready is drawn as live.
async fn promotion(store: Arc<dyn Store>) {
    use getmycert_core::ItemStatus;
    use getmycert_store::ItemStatRow;

    let mut content = Content::load(&ContentSource::Dir(repository_content())).expect("content");
    // The task with the most live AIF-C01 items, among tasks without case studies (whose
    // parts would make up the count); one of its items becomes a pilot.
    let code = getmycert_core::ExamCode::parse("AIF-C01").expect("code");
    let mut per_task: BTreeMap<(u8, u8), Vec<usize>> = BTreeMap::new();
    for (i, q) in content.questions.iter().enumerate() {
        if let Some(m) = q.mapping_for(&code)
            && q.status == ItemStatus::Live
        {
            per_task.entry((m.domain, m.task)).or_default().push(i);
        }
    }
    let ((domain, task), members) = per_task
        .into_iter()
        .filter(|(_, v)| v.iter().all(|i| content.questions[*i].parts.len() == 1))
        .max_by_key(|(_, v)| v.len())
        .expect("a task without case studies");
    let pilot = members[0];
    content.questions[pilot].status = ItemStatus::Pilot;
    let pilot_id = content.questions[pilot].id.to_string();
    store.sync_exams(&content.exams).await.expect("exams");
    store
        .sync_questions(&content.questions)
        .await
        .expect("questions");
    let content = Arc::new(content);
    let engine = Engine::new(store.clone(), content.clone());
    let request = StartRequest {
        tasks: vec![format!("{domain}.{task}")],
        count: Some(members.len()),
        seed: Some(1),
        ..StartRequest::new("AIF-C01", Mode::Practice)
    };
    let t0 = OffsetDateTime::now_utc();
    assert!(
        matches!(
            engine.start("g-a", &request, t0).await,
            Err(EngineError::Invalid { .. })
        ),
        "a pilot is not drawn for practice"
    );
    store
        .replace_item_stats(&[ItemStatRow {
            exam_code: "AIF-C01".into(),
            question_id: pilot_id.clone(),
            part: 0,
            responses: 150,
            facility: Some(0.6),
            discrimination: Some(0.4),
            a: Some(1.2),
            b: Some(0.1),
            analysis: "{}".into(),
            computed_at: t0,
            ready_for_live: true,
        }])
        .await
        .expect("stats");
    // Statistics written by another instance's calibration: this one keeps its pool for a
    // while (its own calibration would drop it at once); a newly started instance sees them.
    let engine = Engine::new(store.clone(), content);
    let set = engine.start("g-b", &request, t0).await.expect("drawn now");
    assert_eq!(set.total, members.len());
    let mut served = Vec::new();
    for n in 1..=set.total {
        engine
            .respond(
                "g-b",
                &set.id,
                n,
                Some(first_answer(
                    &engine.item("g-b", &set.id, n).await.expect("item"),
                )),
                None,
                t0,
            )
            .await
            .expect("saved");
        served.push(engine.reveal("g-b", &set.id, n, t0).await.expect("fb").id);
    }
    assert!(
        served.contains(&pilot_id),
        "the promoted pilot is in the set"
    );
}

on_both_backends! {
    spaced_repetition_over_sqlite, spaced_repetition_over_postgres => run;
    calibration_feeds_reports_and_readiness_over_sqlite, calibration_feeds_reports_and_readiness_over_postgres => calibrated;
    adaptive_drill_over_sqlite, adaptive_drill_over_postgres => drill;
    own_fsrs_parameters_over_sqlite, own_fsrs_parameters_over_postgres => own_parameters;
    a_ready_pilot_goes_live_over_sqlite, a_ready_pilot_goes_live_over_postgres => promotion;
}
