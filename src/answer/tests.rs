use super::vectors::{self, for_formats};
use super::*;

fn all_names() -> Vec<String> {
    builtins().into_iter().map(|f| f.name).collect()
}

#[test]
fn every_builtin_compiles_and_has_vectors() {
    let names = all_names();
    for name in &names {
        let f = Compiled::builtin(name).expect("compiles");
        assert!(!for_formats(&[name]).is_empty(), "{name} has no vectors");
        assert!(!f.def().description.is_empty());
    }
    assert!(names.contains(&DEFAULT_FORMAT.to_string()));
}

#[test]
fn conformance_vectors_hold() {
    let names = all_names();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let all = for_formats(&refs);
    assert!(all.len() >= 50);
    let failures: Vec<String> = all
        .iter()
        .filter_map(|v| vectors::check(&Compiled::builtin(&v.format).unwrap(), v).err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn replies_written_by_the_format_read_back() {
    let cases = [
        ("yes_no", "Yes"),
        ("integer", "12"),
        ("braced_integer", "3"),
        ("braced_letter", "Q"),
        ("braced_text", "upper left"),
        ("rows_columns", "10,9"),
        ("pair", "3,4"),
        ("exact", "blue"),
    ];
    for (name, truth) in cases {
        let f = Compiled::builtin(name).unwrap();
        assert_eq!(f.check_truth(truth), Ok(()), "{name}");
        assert_eq!(f.score(&f.reply_for(truth), truth), Outcome::Correct);
    }
}

#[test]
fn answers_that_do_not_fit_are_reported() {
    let yes_no = Compiled::builtin("yes_no").unwrap();
    assert!(yes_no.check_truth("3").is_err());
    let pair = Compiled::builtin("pair").unwrap();
    assert!(pair.check_truth("3").is_err());
    assert!(pair.check_truth("3,4,5").is_err());
    let int = Compiled::builtin("braced_integer").unwrap();
    assert!(int.check_truth("three").is_err());
}

#[test]
fn bad_custom_formats_are_rejected() {
    let mut f = builtin("pair").unwrap();
    f.patterns = vec!["(".into()];
    assert!(
        Compiled::new(f.clone())
            .unwrap_err()
            .contains("does not compile")
    );
    f.patterns = vec![r"(\d+)".into(), r"(\d+),(\d+)".into()];
    assert!(
        Compiled::new(f.clone())
            .unwrap_err()
            .contains("same number")
    );
    f.patterns = vec![r"(\d+)".into()];
    f.reply = "$1 and $2".into();
    assert!(Compiled::new(f.clone()).unwrap_err().contains("$2"));
    f.patterns = vec![];
    assert!(Compiled::new(f).is_err());
}

#[test]
fn integers_are_canonical() {
    assert_eq!(canonical_integer("+007"), "7");
    assert_eq!(canonical_integer("-0"), "0");
    assert_eq!(canonical_integer("-012"), "-12");
    assert_eq!(canonical_integer("x1"), "x1");
    let f = Compiled::builtin("braced_integer").unwrap();
    assert_eq!(f.score("{007}", "7"), Outcome::Correct);
}
