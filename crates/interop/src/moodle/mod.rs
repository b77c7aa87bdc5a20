//! Moodle XML (`question/format/xml` in Moodle): a `<quiz>` of `<question type="…">` elements,
//! with `type="category"` records that file the questions after them.
//!
//! **Import** reads `multichoice` (one right answer, or several when `<single>false</single>`:
//! every answer with a positive `fraction` is a key), `truefalse` (a single choice with options
//! `True` and `False`), `matching` (`match`) and `ordering` (the answers in file order are the
//! correct order). Per-answer `<feedback>` becomes the option's rationale, `<generalfeedback>`
//! the explanation, `<name>` the title (`<idnumber>` when there is no name), `<tags>` the tags,
//! and the last category record the category. HTML text (`format="html"`, and
//! `moodle_auto_format` holding markup) goes through our sanitizer into Markdown; `markdown`
//! and `plain_text` are kept. Every other type (essay, shortanswer, numerical, calculated*,
//! cloze/multianswer, description, ddwtos, gapselect, ddmarker, ddimageortext, random*, …) is
//! reported as [`Unsupported`](crate::Unsupported) with the line of its `<question>` and its
//! name, as is a question we cannot hold for another reason (a single-answer multichoice with
//! several answers at 100%, an answer that is only an image). Lost on import: partial credit
//! (a single-answer question keeps only its 100% answer as the key), hints, combined feedback
//! (so a matching question from elsewhere has no rationales), images and other files,
//! penalties and grades, and which subset an ordering question shows.
//!
//! **Export** writes one category record per task, `$course$/top/<exam>/Domain <n>: <domain
//! name>/<task>` (Moodle builds the domain → task tree; a re-import reads the trailing task
//! number back), the task statement as the category's description, then its items: single and
//! multiple response as `multichoice` (keys share 100% in Moodle's grade list, wrong answers
//! take the same share negatively so that ticking everything is not full marks), matching as
//! `matching` (options no prompt uses become extra answers with empty question text; Moodle
//! matching has no feedback per answer, so the rationales go into the combined feedback shown
//! after an attempt, and each also sits as `<feedback>` beside its answer, which Moodle ignores
//! and our import reads back), ordering as `ordering`, and every case-study part as its
//! own question `{id}-q{n}` whose text is the scenario followed by the part's stem. `<name>`
//! and `<idnumber>` hold the item id; the tags are the item's tags, the exam code and
//! `<exam> task <n.m>`. Text is written as HTML (`format="html"`, from our Markdown
//! renderer) in CDATA; matching answers are plain text in Moodle, so they carry the Markdown
//! source. A re-import gets matching options in the order the answers first appear, so their
//! letters may move (the pairs and rationales stay). Only an item Moodle could not grade as
//! we do is left out: more than 10 keys (no equal share in Moodle's grade list), or two
//! matching options with the same text (Moodle merges equal answers).
//!
//! The `ordering` type is `qtype_ordering`, a standard Moodle question type since Moodle 4.4;
//! older sites need the Ordering plugin installed, or Moodle's import reports an unknown
//! question type and (with its default "stop on error") imports nothing.

mod export;
mod import;
mod text;
mod tree;

pub use export::export;
pub use import::parse;
