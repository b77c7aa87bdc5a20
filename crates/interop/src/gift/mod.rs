//! GIFT, Moodle's plain-text question format, read and written by the rules of Moodle's own
//! reader and writer (`question/format/gift/format.php`).
//!
//! A file is a series of blocks separated by blank lines: `// comment` lines, `$CATEGORY: path`
//! blocks, and questions: `::name::`, an optional `[moodle]`, `[html]`, `[markdown]` or
//! `[plain]` text format, the text, and one `{…}` answer block. Inside it, `=` marks a right
//! answer and `~` a wrong one, `~%50%` gives a weight, `#` starts an answer's feedback and
//! `####` the general feedback; `=prompt -> answer` lines make a matching question and
//! `{T}`/`{FALSE}` a true/false one. Text after the block makes a missing-word question, the
//! stem getting `_____` where the block was. `\~ \= \# \{ \} \: \\` escape those characters and
//! `\n` is a line break. Tags and an id number ride in comments: `// [id:x] [tag:y]`.
//!
//! | ours | in GIFT |
//! |---|---|
//! | stem, options, rationales, explanation | kept exactly (`[markdown]`, see below) |
//! | keys | kept: single as `=`/`~`; multiple as weights summing to 100% for the keys and to −100% for the wrong answers, so ticking everything scores nothing |
//! | id | the question name `::id::` and the id number `[id:…]` |
//! | task, domain | the category: `$CATEGORY: AIF-C01/Domain 1: Fundamentals of AI and ML/Task 1.2` |
//! | tags | `// [tag:…]` in the comment above the question, which Moodle reads |
//! | case study | flattened: each part is its own question `{id}-q{n}`, stem = scenario, blank line, part stem |
//! | matching | kept, distractors as Moodle's `= -> answer` lines; Moodle's matching answers have no feedback, so the options' rationales ride in `// rationale A: …` comment lines that Moodle skips and a re-import reads |
//! | ordering | left out: GIFT has no ordering question |
//!
//! **Text format.** Moodle splits questions at blank lines and trims every line, so a question
//! cannot hold a blank line or an indented one. Every text is therefore written on one line
//! with its line breaks as `\n`, which Moodle's reader turns back into line breaks (its own
//! writer does the same), and as `[markdown]`, which Moodle renders and which is our own
//! Markdown byte for byte: paragraphs, list indentation, tables and code spans come back
//! exactly. `[html]` would come back through an HTML-to-Markdown conversion that does not give
//! the same Markdown, `[moodle]` turns each line break into `<br>`, and `[plain]` shows the
//! Markdown marks instead of rendering them. Matching answers are the exception: Moodle shows
//! them as plain text in a menu, so `**bold**` there shows its asterisks in Moodle (they still
//! come back exactly here, as a `[markdown]` question's answers are read as Markdown).
//!
//! **Import.** Drafts get Markdown: `[markdown]` text as written (raw HTML in it is escaped so
//! that it shows as text), `[html]` and `[moodle]` (the default, HTML in which a blank line
//! starts a paragraph) through our HTML sanitizer, `[plain]` escaped so it stays text. As in
//! Moodle, a block with `=` among its answers is a single-answer question: its key is the
//! full-credit answer and answers with partial credit become wrong options (several
//! full-credit answers are unsupported); without `=`, every answer with a positive weight is a
//! key. Essay `{}`, numerical `{#…}`, short answer (`=` answers only) and description (no
//! braces) questions are unsupported. Where Moodle would stop with an error the import fails
//! with the line; so does a second `{…}` block or an unescaped brace that Moodle would quietly
//! keep as text, and a `$CATEGORY:` line with a question right under it, which Moodle would
//! swallow into the category name.

mod answers;
mod export;
mod parse;
mod text;

/// The start of a comment line that carries a matching option's rationale, `// rationale A: …`
/// (the text escaped as GIFT text, so on one line and with no `[tag:` for Moodle to find).
const RATIONALE: &str = "// rationale ";

pub use export::export;
pub use parse::parse;
