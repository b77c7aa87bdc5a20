//! Sample values for tests of this crate and the crates above it (feature `fixtures`).

use crate::exam::{
    Confidence, Domain, Exam, ExamCode, ExamState, ExamStatus, Fact, Level, QuestionCounts,
};

/// An active exam with 50 + 15 questions and one task per domain, weighted as given.
pub fn sample_exam(code: &str, level: Level, weights: &[u8]) -> Exam {
    Exam {
        code: ExamCode::parse(code).expect("code"),
        name: format!("Exam {code}"),
        short_name: code.to_string(),
        vendor: "AWS".into(),
        level,
        summary: String::new(),
        status: ExamStatus {
            state: ExamState::Active,
            last_exam_day: None,
            available_since: None,
            confidence: Confidence::Official,
            note: None,
        },
        questions: QuestionCounts {
            scored: 50,
            unscored: 15,
        },
        minutes: Fact::official(90),
        passing_score: Fact::official(700),
        price_usd: Fact::official(100),
        question_types: vec![],
        recommended_experience: String::new(),
        recertification: String::new(),
        recertified_by: vec![],
        successors: vec![],
        guide_url: None,
        sources: vec![],
        domains: weights
            .iter()
            .enumerate()
            .map(|(i, w)| Domain {
                number: i as u8 + 1,
                name: format!("Domain {}", i + 1),
                weight: *w,
                tasks: vec!["Task".into()],
            })
            .collect(),
    }
}
