//! Sample values for tests of this crate and the crates above it (feature `fixtures`).

use crate::exam::{
    Confidence, Domain, Exam, ExamCode, ExamState, ExamStatus, Fact, Level, QuestionCounts,
    QuestionType,
};
use crate::question::{
    Choice, Difficulty, ItemStatus, Mapping, Part, PartKind, Question, QuestionId,
};

/// A live single-answer item mapped to `exam` task `task` (e.g. "3.2"), key B of four.
pub fn sample_question(id: &str, exam: &str, task: &str) -> Question {
    let (domain, task) = task.split_once('.').expect("task like 3.2");
    Question {
        id: QuestionId::parse(id).expect("id"),
        kind: QuestionType::Single,
        mappings: vec![Mapping {
            exam: ExamCode::parse(exam).expect("code"),
            domain: domain.parse().expect("domain"),
            task: task.parse().expect("task"),
        }],
        difficulty: Difficulty::Medium,
        status: ItemStatus::Live,
        tags: vec!["sagemaker".into(), format!("topic-{id}")],
        references: vec!["https://docs.aws.amazon.com/sagemaker/".into()],
        verified: None,
        scenario: None,
        parts: vec![Part {
            kind: PartKind::Single,
            stem: format!("A team needs item {id} answered. Which option fits best?"),
            options: ['A', 'B', 'C', 'D']
                .into_iter()
                .map(|l| Choice {
                    id: l,
                    text: format!("Option {l} of {id}"),
                    rationale: format!("Why {l} is {}", if l == 'B' { "right" } else { "wrong" }),
                    correct: l == 'B',
                })
                .collect(),
            prompts: vec![],
            explanation: format!("Explanation of {id}."),
        }],
    }
}

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
