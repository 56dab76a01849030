use std::io::Write as _;

use super::predictions::read_predictions;
use super::report::csv;

fn preds(text: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    read_predictions(f.path())
}

#[test]
fn predictions_accept_the_common_reply_keys() {
    let p = preds(
        "{\"id\": \"a\", \"reply\": \"{1}\"}\n\n{\"id\": \"b\", \"response\": \"Yes\"}\n\
         {\"id\": \"c\", \"prediction\": 3}\n{\"id\": \"d\", \"output\": \"x\"}\n",
    )
    .unwrap();
    assert_eq!(p["a"], "{1}");
    assert_eq!(p["b"], "Yes");
    assert_eq!(p["c"], "3");
    assert_eq!(p.len(), 4);
}

#[test]
fn bad_prediction_lines_name_the_problem() {
    let err = |t: &str| preds(t).unwrap_err();
    assert!(
        err("{\"id\": \"a\", \"reply\": \"1\"}\n{\"id\": \"a\", \"reply\": \"2\"}")
            .contains(":2: the id \"a\" has a second reply")
    );
    assert!(err("{\"reply\": \"1\"}").contains(":1: no string `id`"));
    assert!(err("{\"id\": \"a\"}").contains("no reply: expected one of reply, response"));
    assert!(err("{\"id\": \"a\", \"reply\": null}").contains("null"));
    assert!(err("[1]").contains("not a JSON object"));
}

#[test]
fn csv_fields_are_quoted_when_needed() {
    assert_eq!(csv("plain"), "plain");
    assert_eq!(csv("a,b"), "\"a,b\"");
    assert_eq!(csv("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
}
