//! Any bytes given to the response parsers (a save's JSON body, a runner form's fields) yield an
//! answer or a refusal with a reason; never a panic. An accepted answer survives a write to
//! JSON and a second read unchanged. A save's body read the short way gives what the long way
//! gives.
#![no_main]

use libfuzzer_sys::fuzz_target;

use getmycert_core::scoring::Response;
use getmycert_web::form::{Fields, answer, letter_step};

fn round_trip(answer: &Response) {
    let json = serde_json::to_value(answer).expect("an answer serializes");
    let again: Response = serde_json::from_value(json.clone()).expect("and reads back");
    assert_eq!(&again, answer, "{json}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let long = getmycert_web::api::parse_response(value);
        let short = getmycert_web::api::SaveBody::from_json(data).map(|b| (b.0, b.1));
        assert_eq!(format!("{short:?}"), format!("{long:?}"));
        if let Ok((Some(answer), _)) = long {
            round_trip(&answer);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let fields = Fields::parse(text);
        match answer(&fields, "", letter_step) {
            Ok(Some(answer)) => round_trip(&answer),
            Ok(None) => {}
            Err(reason) => assert!(!reason.is_empty()),
        }
    }
});
