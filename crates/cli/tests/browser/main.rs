//! Browser tests in real Chromium through chromedriver (Debian's `chromium` and
//! `chromium-driver`): a candidate sits a short simulation by keyboard, reloads half-way,
//! reviews, submits and reads the report. Screenshots go to `target/browser/`.
//!
//! Outside CI a machine without chromedriver skips with a notice; under `CI=true` it fails.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use getmycert_store::testing::SqliteLock;
use helpers::TestApp;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free port, killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        assert!(
            !in_ci(),
            "CI=true and {CHROMEDRIVER} or {CHROMIUM} is missing: .ci/run installs them"
        );
        eprintln!("skipping the browser tests: {CHROMEDRIVER} or {CHROMIUM} is not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver { child, port })
}

async fn browser(driver: &Driver) -> Client {
    browser_in(driver, "light").await
}

/// A browser whose system colour scheme is `scheme` (`light` or `dark`).
async fn browser_in(driver: &Driver, scheme: &str) -> Client {
    let scheme = match scheme {
        "dark" => 0,
        _ => 1,
    };
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1200,1400",
                     format!("--blink-settings=preferredColorScheme={scheme}")]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session")
}

/// Presses one key in the page, as a person would (no element targeted).
async fn press(client: &Client, key: char) {
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(actions).await.expect("a key press");
}

async fn screenshot(client: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write the screenshot");
}

async fn wait_for_path(client: &Client, suffix: &str) -> String {
    let started = Instant::now();
    loop {
        let url = client.current_url().await.expect("url").to_string();
        if url.ends_with(suffix) || url.contains(suffix) {
            return url;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never reached {suffix}; at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the button whose text is `label`.
async fn click(client: &Client, label: &str) {
    button(client, label)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {label}: {e}"));
}

/// Opens `path` of the app.
async fn open(client: &Client, app: &TestApp, path: &str) {
    client
        .goto(&format!("{}{path}", app.address))
        .await
        .unwrap_or_else(|e| panic!("opening {path}: {e}"));
}

/// The button whose text is `label`.
async fn button(client: &Client, label: &str) -> fantoccini::elements::Element {
    client
        .find(Locator::XPath(&format!(
            "//button[normalize-space()='{label}']"
        )))
        .await
        .unwrap_or_else(|_| panic!("no button `{label}`"))
}

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

#[tokio::test]
async fn a_candidate_sits_a_simulation_by_keyboard_reloads_and_reads_the_report() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn_with_bank().await;
    let client = browser(&driver).await;

    open(&client, &app, "/practice").await;
    screenshot(&client, "01-practice").await;
    let start = button(&client, "Start the simulation").await;
    start
        .send_keys("\u{E007}")
        .await
        .expect("Enter on the start button");
    wait_for_path(&client, "/items/1").await;
    assert!(text(&client, ".progress").await.contains("1 of 65"));
    let timer = text(&client, "#time-left").await;
    assert!(
        timer.starts_with("1:29:") || timer.starts_with("1:30:"),
        "{timer}"
    );
    screenshot(&client, "02-item-1").await;

    // Answer the first three questions by key: 1 picks the first option where there is one to
    // pick; N moves on.
    let mut answered_single = None;
    for n in 1..=3 {
        let kind = client
            .find(Locator::Id("runner"))
            .await
            .expect("runner")
            .attr("data-kind")
            .await
            .expect("attr")
            .unwrap_or_default();
        if kind == "single" || kind == "multiple" {
            press(&client, '1').await;
            let first = client
                .find(Locator::Css("input[name=selected]"))
                .await
                .expect("an option");
            assert_eq!(
                first.prop("checked").await.expect("prop").as_deref(),
                Some("true"),
                "key 1 picks option A"
            );
            if kind == "single" && answered_single.is_none() {
                answered_single = Some(n);
            }
        }
        if n == 2 {
            press(&client, 'f').await;
            // The flag is saved in the background; reload once the server has it.
            wait_for(&client, "#item-form[data-pending='0']").await;
            client.refresh().await.expect("reload half-way");
            wait_for_path(&client, "/items/2").await;
            let flag = client.find(Locator::Id("flag")).await.expect("flag");
            assert_eq!(
                flag.prop("checked").await.expect("prop").as_deref(),
                Some("true"),
                "the flag survived the reload"
            );
            screenshot(&client, "03-after-reload").await;
        }
        press(&client, 'n').await;
        wait_for_path(&client, &format!("/items/{}", n + 1)).await;
    }
    if let Some(n) = answered_single {
        // Back to an answered question: the answer is still there.
        for _ in n..4 {
            press(&client, 'p').await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        wait_for_path(&client, &format!("/items/{n}")).await;
        let first = client
            .find(Locator::Css("input[name=selected]"))
            .await
            .expect("an option");
        assert_eq!(
            first.prop("checked").await.expect("prop").as_deref(),
            Some("true"),
            "the saved answer is shown"
        );
    }

    press(&client, 'r').await;
    wait_for_path(&client, "/review").await;
    let summary = text(&client, ".progress").await;
    assert!(
        summary.contains("of 65 answered") && summary.contains("1 flagged"),
        "{summary}"
    );
    screenshot(&client, "04-review").await;
    let confirm = client
        .find(Locator::Css("input[name=confirm]"))
        .await
        .expect("confirm");
    confirm.send_keys(" ").await.expect("space ticks the box");
    let submit = button(&client, "Submit").await;
    submit.send_keys("\u{E007}").await.expect("Enter submits");
    wait_for_path(&client, "/report").await;
    let result = text(&client, "#result").await;
    assert!(result.contains("estimated scaled score"), "{result}");
    let reviewed = client
        .find_all(Locator::Css("article.reviewed"))
        .await
        .expect("items");
    assert_eq!(reviewed.len(), 65);
    screenshot(&client, "05-report").await;
    client.close().await.expect("close the browser");
}

/// Waits until an element matching `css` is on the page (navigation by a form post keeps the
/// same URL, so the URL alone cannot tell that the new page has arrived).
async fn wait_for(client: &Client, css: &str) {
    let started = Instant::now();
    while client.find(Locator::Css(css)).await.is_err() {
        if started.elapsed() > Duration::from_secs(30) {
            let url = client.current_url().await.map(|u| u.to_string());
            let main = text(client, "main").await;
            panic!("never saw {css}; at {url:?} showing:\n{main}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn fill(client: &Client, css: &str, value: &str) {
    let field = client.find(Locator::Css(css)).await.expect(css);
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

#[tokio::test]
async fn sign_up_practise_sign_out_sign_in_and_find_the_history() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn_with_bank().await;
    let client = browser(&driver).await;
    open(&client, &app, "/account").await;
    fill(&client, "#up-email", "hana@example.com").await;
    fill(
        &client,
        "#up-password",
        "correct horse battery staple tango",
    )
    .await;
    click(&client, "Create my account").await;
    wait_for(&client, "#new-password").await;
    assert!(
        text(&client, "main")
            .await
            .contains("Signed in as hana@example.com")
    );
    screenshot(&client, "10-signed-up").await;

    open(&client, &app, "/practice").await;
    click(&client, "Start practising").await;
    wait_for_path(&client, "/items/1").await;
    press(&client, 'r').await;
    wait_for_path(&client, "/review").await;

    open(&client, &app, "/account").await;
    click(&client, "Sign out").await;
    wait_for(&client, "#in-email").await;
    open(&client, &app, "/practice").await;
    assert!(text(&client, "#history").await.contains("Your sessions"));
    assert!(
        client
            .find_all(Locator::Css("section[aria-labelledby=history] tbody tr"))
            .await
            .expect("rows")
            .is_empty(),
        "signed out: no history"
    );

    open(&client, &app, "/account").await;
    fill(&client, "#in-email", "hana@example.com").await;
    fill(
        &client,
        "#in-password",
        "correct horse battery staple tango",
    )
    .await;
    click(&client, "Sign in").await;
    wait_for_path(&client, "/practice").await;
    let rows = client
        .find_all(Locator::Css("section[aria-labelledby=history] tbody tr"))
        .await
        .expect("rows");
    assert_eq!(
        rows.len(),
        1,
        "the practice set is in the account's history"
    );
    assert!(rows[0].text().await.expect("row").contains("In progress"));
    screenshot(&client, "11-history-after-sign-in").await;
    client.close().await.expect("close the browser");
}

/// Answers the item on screen, whatever its type, by the page's own controls (the first
/// option(s), the steps in displayed order, every prompt to A), then checks it.
async fn answer_and_check(client: &Client) {
    let runner = client
        .find(Locator::Id("runner"))
        .await
        .expect("the runner");
    let attr = |name: &'static str| {
        let runner = runner.clone();
        async move { runner.attr(name).await.expect(name).unwrap_or_default() }
    };
    match attr("data-kind").await.as_str() {
        "single" | "multiple" => {
            let select: usize = attr("data-select").await.parse().unwrap_or(1);
            let choices = client
                .find_all(Locator::Css("input[name=selected]"))
                .await
                .expect("choices");
            for choice in choices.iter().take(select) {
                choice.click().await.expect("a choice");
            }
        }
        "ordering" => {
            let steps = client
                .find_all(Locator::Css("select[name^=pos-]"))
                .await
                .expect("steps");
            for (i, step) in steps.iter().enumerate() {
                step.select_by_value(&(i + 1).to_string())
                    .await
                    .expect("a position");
            }
        }
        "matching" => {
            for prompt in client
                .find_all(Locator::Css("select[name^=match-]"))
                .await
                .expect("prompts")
            {
                prompt.select_by_value("A").await.expect("a match");
            }
        }
        other => panic!("unexpected item type {other}"),
    }
    click(client, "Check answer").await;
    wait_for(client, "section.feedback").await;
}

#[tokio::test]
async fn checked_answers_join_the_review_queue_and_a_drill_adapts_one_question_at_a_time() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn_with_bank().await;
    let client = browser(&driver).await;
    open(&client, &app, "/practice").await;
    click(&client, "Start practising").await;
    // A case study is one card, graded once all its parts (at most four, always consecutive)
    // are checked: five checked items hold at least one whole question.
    for n in 1..=5 {
        wait_for_path(&client, &format!("/items/{n}")).await;
        answer_and_check(&client).await;
        if n == 1 {
            screenshot(&client, "20-feedback").await;
        }
        click(&client, "Next →").await;
    }
    wait_for_path(&client, "/items/6").await;

    open(&client, &app, "/review").await;
    let queue = text(&client, "section[aria-labelledby=queues]").await;
    assert!(queue.contains("Nothing due"), "{queue}");
    fill(&client, "#retention", "50").await;
    click(&client, "Save").await;
    wait_for(&client, "#retention-error").await;
    assert!(
        text(&client, "#retention-error")
            .await
            .contains("from 70 to 99")
    );
    fill(&client, "#retention", "85").await;
    click(&client, "Save").await;
    wait_for(&client, "p.banner").await;
    assert_eq!(
        client
            .find(Locator::Css("#retention"))
            .await
            .expect("field")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("85")
    );
    screenshot(&client, "21-review-queue").await;

    open(&client, &app, "/practice").await;
    click(&client, "Start a drill").await;
    wait_for_path(&client, "/items/1").await;
    assert!(
        text(&client, "#drill-progress")
            .await
            .contains("question 1")
    );
    // The drill's first item may be of any type.
    answer_and_check(&client).await;
    click(&client, "Next →").await;
    wait_for_path(&client, "/items/2").await;
    assert!(
        text(&client, "#drill-progress")
            .await
            .contains("question 2")
    );
    screenshot(&client, "22-adaptive-drill").await;

    client.goto(&app.address).await.expect("home");
    assert!(text(&client, "main").await.contains("Your progress"));
    client.close().await.expect("close the browser");
}

/// The database out of reach mid-sitting (SQLite locked by another process): the runner says
/// "Not saved yet", retries with back-off keeping what was chosen, holds a move to the next
/// question until the save lands, and the answer is there after a reload.
#[tokio::test]
async fn a_save_the_server_cannot_take_is_retried_until_it_lands() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn_with_bank().await;
    let client = browser(&driver).await;
    open(&client, &app, "/practice").await;
    click(&client, "Start the simulation").await;
    let first = wait_for_path(&client, "/items/1").await;

    let lock = SqliteLock::take(&app.args.database_url).await;
    client
        .find(Locator::Id("flag"))
        .await
        .expect("the flag")
        .click()
        .await
        .expect("flag");
    wait_for(&client, "#save-status[data-state='retrying']").await;
    assert!(
        text(&client, "#save-status")
            .await
            .starts_with("Not saved yet"),
        "the candidate is told"
    );
    screenshot(&client, "06-not-saved-yet").await;
    lock.release().await;
    wait_for(&client, "#save-status[data-state='saved']").await;
    wait_for(&client, "#item-form[data-pending='0']").await;
    client.refresh().await.expect("reload");
    wait_for(&client, "#item-form").await;
    let flag = client.find(Locator::Id("flag")).await.expect("flag");
    assert_eq!(
        flag.prop("checked").await.expect("prop").as_deref(),
        Some("true"),
        "the retried save landed"
    );

    // Moving on while a save is failing waits for it instead of leaving for an error page.
    let lock = SqliteLock::take(&app.args.database_url).await;
    flag.click().await.expect("unflag");
    wait_for(&client, "#save-status[data-state='retrying']").await;
    click(&client, "Next →").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        client.current_url().await.expect("url").as_str(),
        first,
        "still on question 1 while its save fails"
    );
    lock.release().await;
    wait_for_path(&client, "/items/2").await;
    open(&client, &app, first.trim_start_matches(&app.address)).await;
    let flag = client.find(Locator::Id("flag")).await.expect("flag");
    assert_eq!(
        flag.prop("checked").await.expect("prop").as_deref(),
        Some("false"),
        "the unflag landed before moving on"
    );
    client.close().await.expect("close the browser");
}

/// `/progress` after a submitted simulation: five charts, each named, with its figures in a
/// table; screenshots in light and dark mode (`target/browser/07-progress-*.png`).
#[tokio::test]
async fn progress_is_charted_in_light_and_dark_mode() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn_with_bank().await;
    // A guest sits and submits a simulation through the API; the browsers take its identity.
    let guest = "g-0123456789abcdef0123456789abcdef";
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        format!("gmc_id={guest}").parse().expect("a header"),
    );
    let api = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a client");
    let view = app
        .start(&api, json!({"exam": "AIF-C01", "mode": "exam", "seed": 3}))
        .await;
    let id = view["id"].as_str().expect("id");
    for n in 1..=view["total"].as_u64().expect("total") {
        let (_, item) = app.item(&api, id, n).await;
        app.save_some_answer(&api, id, &item).await;
    }
    assert_eq!(app.submit(&api, id).await.0, reqwest::StatusCode::OK);

    let mut backgrounds = Vec::new();
    for scheme in ["light", "dark"] {
        let client = browser_in(&driver, scheme).await;
        open(&client, &app, "/").await;
        // SameSite spelled out: WebDriver's default (None) needs a secure cookie.
        let cookie = fantoccini::cookies::Cookie::parse(format!(
            "gmc_id={guest}; Domain=127.0.0.1; Path=/; SameSite=Lax"
        ))
        .expect("a cookie");
        // The page just issued this browser an identity of its own; take the guest's instead.
        client.delete_all_cookies().await.expect("no cookies");
        client.add_cookie(cookie).await.expect("the guest's cookie");
        open(&client, &app, "/progress").await;
        let charts = client
            .find_all(Locator::Css("svg.chart[role='img']"))
            .await
            .expect("charts");
        assert_eq!(charts.len(), 5, "five charts");
        for chart in &charts {
            let named = chart
                .find(Locator::Css("title"))
                .await
                .expect("a title")
                .attr("id")
                .await
                .expect("attr");
            let labelled = chart.attr("aria-labelledby").await.expect("attr");
            assert!(
                named.is_some_and(|n| labelled.is_some_and(|l| l.contains(&n))),
                "each chart is named by its title"
            );
        }
        // Every chart's figures are in a table too: open them all.
        for summary in client
            .find_all(Locator::Css("details > summary"))
            .await
            .expect("summaries")
        {
            summary.click().await.expect("open the table");
        }
        let tables = client
            .find_all(Locator::Css("details table"))
            .await
            .expect("tables");
        assert_eq!(tables.len(), 4, "scores, readiness, study, reviews due");
        backgrounds.push(
            client
                .execute(
                    "return getComputedStyle(document.body).backgroundColor",
                    vec![],
                )
                .await
                .expect("a colour"),
        );
        client
            .execute("window.scrollTo(0, 0)", vec![])
            .await
            .expect("scrolled");
        screenshot(&client, &format!("07-progress-{scheme}")).await;
        client.close().await.expect("close the browser");
    }
    assert_ne!(backgrounds[0], backgrounds[1], "dark mode is dark");
}

/// The plan page offers its calendar; following the link from the page gets an iCalendar file.
#[tokio::test]
async fn a_plan_is_downloaded_as_a_calendar_from_its_page() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let client = browser(&driver).await;
    open(
        &client,
        &app,
        "/plan?exam=AIF-C01&ml_years=0&aws_years=1&hours_per_week=5&exam_date=",
    )
    .await;
    let link = client
        .find(Locator::LinkText("Add this plan to your calendar (.ics)"))
        .await
        .expect("the calendar link");
    assert!(link.attr("download").await.expect("attr").is_some());
    let href = link.prop("href").await.expect("prop").expect("an address");
    let fetched = client
        .execute_async(
            "const [href, done] = arguments;
             fetch(href).then(r => r.text().then(t => done([r.headers.get('content-type'), t])));",
            vec![json!(href)],
        )
        .await
        .expect("fetched");
    let kind = fetched[0].as_str().unwrap_or_default();
    let text = fetched[1].as_str().unwrap_or_default();
    assert!(kind.starts_with("text/calendar"), "{kind}");
    assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
    assert!(text.contains("SUMMARY:AIF-C01 exam"));
    client.close().await.expect("close the browser");
}

/// A learner records a certification from the account page's link, sees its expiry and the
/// renewal options, and finds it marked on the path with the next exam suggested.
#[tokio::test]
async fn a_learner_records_a_certification_and_the_path_marks_it() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let client = browser(&driver).await;
    open(&client, &app, "/account").await;
    fill(&client, "#up-email", "kofi@example.com").await;
    fill(&client, "#up-password", "correct horse battery staple kilo").await;
    click(&client, "Create my account").await;
    wait_for(&client, "#new-password").await;
    client
        .find(Locator::LinkText("Your certifications"))
        .await
        .expect("the link")
        .click()
        .await
        .expect("followed");
    wait_for(&client, "#earned").await;
    client
        .find(Locator::Css("#exam option[value='AIF-C01']"))
        .await
        .expect("the exam")
        .click()
        .await
        .expect("chosen");
    // A date field takes the digits of the locale's order; set it as a keyboard-less form would.
    client
        .execute(
            "document.getElementById('earned').value = arguments[0]",
            vec![json!("2025-01-15")],
        )
        .await
        .expect("a date");
    click(&client, "Record").await;
    wait_for(&client, "table tbody tr").await;
    let row = text(&client, "table tbody tr").await;
    assert!(
        row.contains("2028-01-15") && row.contains("MLA-C01"),
        "{row}"
    );
    screenshot(&client, "09-certifications").await;
    open(&client, &app, "/path").await;
    let main = text(&client, "main").await;
    assert!(main.contains("Held · expires 2028-01-15"), "{main}");
    assert!(main.contains("Suggested next"));
    client.close().await.expect("close the browser");
}

/// axe-core 4.x, vendored (MPL-2.0, `vendor/axe-core.LICENSE`) so the audit needs no network.
const AXE: &str = include_str!("vendor/axe.min.js");

/// Runs axe-core on the page open in `client`: the serious and critical violations, each as
/// "rule (impact): help — first nodes".
async fn axe_violations(client: &Client) -> Vec<String> {
    client
        .execute(&format!("{AXE}\nreturn true;"), vec![])
        .await
        .expect("axe loads");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(
               r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                   + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))));",
            vec![],
        )
        .await
        .expect("axe runs");
    found
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Every page a learner (and an author) sees, audited by axe-core in light and dark mode: no
/// serious or critical violation. The runner is audited on each item type the bank serves.
#[tokio::test]
async fn every_page_passes_an_accessibility_audit() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn_with_bank().await;
    let mut failures = Vec::new();
    let mut audited = 0;
    for scheme in ["light", "dark"] {
        let client = browser_in(&driver, scheme).await;
        let mut audit = async |client: &Client, what: &str| {
            audited += 1;
            for v in axe_violations(client).await {
                failures.push(format!("{scheme} {what}: {v}"));
            }
        };
        for path in [
            "/",
            "/exams",
            "/exams/aif-c01",
            "/path",
            "/plan",
            "/plan?exam=AIP-C01&ml_years=0&aws_years=0&hours_per_week=8&exam_date=",
            "/practice",
            "/questions",
            "/review",
            "/progress",
            "/account",
            "/certifications",
            "/algorithms",
            "/faq",
        ] {
            open(&client, &app, path).await;
            audit(&client, path).await;
        }

        // The runner on each kind of item, the review screen and the report.
        open(&client, &app, "/practice").await;
        click(&client, "Start the simulation").await;
        let first = wait_for_path(&client, "/items/1").await;
        let base = first.trim_end_matches("/items/1").to_owned();
        let mut kinds = std::collections::BTreeSet::new();
        for n in 1..=65 {
            client
                .goto(&format!("{base}/items/{n}"))
                .await
                .expect("an item");
            let runner = client.find(Locator::Id("runner")).await.expect("runner");
            let kind = runner
                .attr("data-kind")
                .await
                .expect("attr")
                .unwrap_or_default();
            let case = client.find(Locator::Css(".scenario")).await.is_ok();
            let kind = if case {
                format!("{kind} (case study)")
            } else {
                kind
            };
            if kinds.insert(kind.clone()) {
                audit(&client, &format!("runner, {kind} item")).await;
            }
        }
        assert!(
            kinds.len() >= 2,
            "the audit met several item kinds: {kinds:?}"
        );
        eprintln!("{scheme}: runner audited on {kinds:?}");
        client
            .goto(&format!("{base}/review"))
            .await
            .expect("review");
        audit(&client, "review screen").await;
        click(&client, "Submit").await;
        wait_for(&client, ".report, #report, main h1").await;
        audit(&client, "report").await;
        open(&client, &app, "/progress").await;
        audit(&client, "progress with a simulation").await;
        open(&client, &app, "/review").await;
        audit(&client, "review queue with cards").await;
        client.close().await.expect("close the browser");
    }

    // An author's pages, and the account pages signed in.
    let password = "correct horse battery staple author";
    let mut create = helpers::binary()
        .arg("--database-url")
        .arg(&app.args.database_url)
        .args([
            "user",
            "create",
            "--email",
            "ada@example.com",
            "--role",
            "admin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    std::io::Write::write_all(
        &mut create.stdin.take().expect("stdin"),
        password.as_bytes(),
    )
    .expect("the password");
    assert!(create.wait().expect("exit").success());
    let client = browser(&driver).await;
    open(&client, &app, "/account").await;
    fill(&client, "#in-email", "ada@example.com").await;
    fill(&client, "#in-password", password).await;
    click(&client, "Sign in").await;
    wait_for_path(&client, "/practice").await;
    for path in [
        "/account",
        "/certifications",
        "/author/items",
        "/author/reports",
        "/author/export",
        "/admin/users",
    ] {
        open(&client, &app, path).await;
        audited += 1;
        for v in axe_violations(&client).await {
            failures.push(format!("signed in {path}: {v}"));
        }
    }
    client.close().await.expect("close the browser");
    assert!(audited >= 45, "{audited} pages audited");
    eprintln!("{audited} page views audited by axe-core");
    assert!(
        failures.is_empty(),
        "{} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
