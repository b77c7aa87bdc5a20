//! Display-ready values for templates, so templates hold no logic beyond loops and ifs.

use std::collections::BTreeMap;

use getmycert_core::{Confidence, Exam, ExamState, Fact, QuestionType};

/// The site navigation with the current section marked for `aria-current`.
#[derive(Debug, Clone)]
pub struct Nav {
    pub current: &'static str,
}

impl Nav {
    /// The sections, as (href, label).
    pub const LINKS: [(&'static str, &'static str); 13] = [
        ("/", "Home"),
        ("/path", "Path"),
        ("/exams", "Exams"),
        ("/practice", "Practise"),
        ("/review", "Review"),
        ("/progress", "Progress"),
        ("/questions", "Questions"),
        ("/plan", "Study plan"),
        ("/algorithms", "Algorithms"),
        ("/services", "Services"),
        ("/careers", "Careers"),
        ("/faq", "FAQ"),
        ("/account", "Account"),
    ];

    pub fn at(current: &'static str) -> Self {
        Self { current }
    }

    pub fn none() -> Self {
        Self { current: "" }
    }

    pub fn links(&self) -> Vec<(&'static str, &'static str, bool)> {
        Self::LINKS
            .iter()
            .map(|(href, label)| (*href, *label, *href == self.current))
            .collect()
    }
}

/// A fact as shown: the text, whether it is approximate, and the note on its sources.
#[derive(Debug, Clone)]
pub struct FactView {
    pub text: String,
    pub unconfirmed: bool,
    pub note: String,
}

impl FactView {
    fn of(fact: &Fact<u32>, unit: &str) -> Self {
        Self {
            text: fact.describe(unit),
            unconfirmed: fact.confidence == Confidence::Unconfirmed,
            note: fact.note.clone().unwrap_or_default(),
        }
    }
}

/// A task statement with its number.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub number: String,
    pub text: String,
}

/// A domain with its weight and tasks.
#[derive(Debug, Clone)]
pub struct DomainView {
    pub number: u8,
    pub name: String,
    pub weight: u8,
    pub tasks: Vec<TaskView>,
}

/// Everything a page shows of an exam.
#[derive(Debug, Clone)]
pub struct ExamView {
    pub code: String,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub level: &'static str,
    pub summary: String,
    pub state: &'static str,
    /// The retiring/retired banner, empty for active exams.
    pub banner: String,
    pub status_note: String,
    pub available_since: String,
    pub questions_total: u32,
    pub questions_scored: u32,
    pub questions_unscored: u32,
    pub minutes: FactView,
    pub passing_score: FactView,
    pub price: FactView,
    pub question_types: Vec<&'static str>,
    pub recommended_experience: String,
    pub recertification: String,
    pub recertified_by: Vec<String>,
    pub successors: Vec<(String, String)>,
    pub guide_url: String,
    pub sources: String,
    pub domains: Vec<DomainView>,
    /// Live practice questions in the bank for this exam (0 until counted).
    pub practice_questions: u64,
    /// "Held · expires 2028-01-15" for a signed-in learner who holds it; empty otherwise.
    pub held: String,
    /// The exam the path suggests next to a learner who holds others.
    pub suggested: bool,
}

impl ExamView {
    /// The view with its count of live practice questions from `counts` (exam code → count).
    pub fn with_practice(self, counts: &BTreeMap<String, u64>) -> Self {
        Self {
            practice_questions: counts.get(&self.code).copied().unwrap_or(0),
            ..self
        }
    }

    /// The view marked as held until `expires` (YYYY-MM-DD).
    pub fn held_until(self, expires: &str) -> Self {
        Self {
            held: format!("Held · expires {expires}"),
            ..self
        }
    }

    pub fn of(exam: &Exam) -> Self {
        let last_day = exam
            .status
            .last_exam_day
            .map(|d| d.to_string())
            .unwrap_or_default();
        let date_caveat = if exam.status.confidence == Confidence::Unconfirmed {
            " (date from secondary sources, unconfirmed by an official notice)"
        } else {
            ""
        };
        let (state, banner) = match exam.status.state {
            ExamState::Active => ("Active", String::new()),
            ExamState::Retiring => (
                "Retiring",
                format!("Retiring: the last day to take this exam is {last_day}{date_caveat}."),
            ),
            ExamState::Retired => (
                "Retired",
                format!(
                    "Retired: the last day to take this exam was {last_day}{date_caveat}. It can no longer be booked."
                ),
            ),
        };
        Self {
            code: exam.code.to_string(),
            slug: exam.code.slug(),
            name: exam.name.clone(),
            short_name: exam.short_name.clone(),
            level: exam.level.label(),
            summary: exam.summary.clone(),
            state,
            banner,
            status_note: exam.status.note.clone().unwrap_or_default(),
            available_since: exam
                .status
                .available_since
                .map(|d| d.to_string())
                .unwrap_or_default(),
            questions_total: exam.questions.total(),
            questions_scored: exam.questions.scored,
            questions_unscored: exam.questions.unscored,
            minutes: FactView::of(&exam.minutes, "minutes"),
            passing_score: FactView::of(&exam.passing_score, "on the 100–1000 scale"),
            price: FactView::of(&exam.price_usd, "USD"),
            question_types: exam
                .question_types
                .iter()
                .map(|t| QuestionType::label(*t))
                .collect(),
            recommended_experience: exam.recommended_experience.clone(),
            recertification: exam.recertification.clone(),
            recertified_by: exam.recertified_by.iter().map(|c| c.to_string()).collect(),
            successors: exam
                .successors
                .iter()
                .map(|c| (c.to_string(), c.slug()))
                .collect(),
            guide_url: exam.guide_url.clone().unwrap_or_default(),
            sources: exam.sources.join(", "),
            domains: exam
                .domains
                .iter()
                .map(|d| DomainView {
                    number: d.number,
                    name: d.name.clone(),
                    weight: d.weight,
                    tasks: d
                        .numbered_tasks()
                        .map(|(number, text)| TaskView {
                            number,
                            text: text.to_owned(),
                        })
                        .collect(),
                })
                .collect(),
            practice_questions: 0,
            held: String::new(),
            suggested: false,
        }
    }

    pub fn is_retired(&self) -> bool {
        self.state == "Retired"
    }
}
