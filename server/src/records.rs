//! Field-level validation of draft resources, so an editor sees which field broke which
//! rule (`{"field": "categories", "reason": "..."}`) when saving, not when a freeze fails.
//! The rules are the bundle format's own (`waypoint_format::Record::validate`) plus the
//! phone rules the phones apply at import (`waypoint_format::phone`), so a resource
//! accepted into the draft is one the phones will accept.

use crate::http::FieldError;

/// Checks a draft resource and returns the broken rules (empty when valid).
pub fn validate(value: &serde_json::Value) -> Vec<FieldError> {
    let record: waypoint_format::Record = match serde_json::from_value(value.clone()) {
        Ok(r) => r,
        Err(e) => {
            let msg = e.to_string();
            // serde names the field in backticks: "missing field `name`", "unknown field `x`".
            let field = msg
                .split('`')
                .nth(1)
                .filter(|f| f.len() <= 64)
                .unwrap_or("(body)")
                .to_owned();
            let reason = msg.split(" at line").next().unwrap_or(&msg).to_owned();
            return vec![FieldError { field, reason }];
        }
    };
    match record.validate() {
        // The phone rules the phones apply at import: one refused number would make every
        // phone reject the whole update, so an editor learns of it when saving.
        Ok(()) => match waypoint_format::phone::validate_phones(&record) {
            Ok(()) => Vec::new(),
            Err(e) => vec![FieldError {
                field: "phones".into(),
                reason: e.0.to_owned(),
            }],
        },
        Err(waypoint_format::FormatError::InvalidRecord { reason, .. }) => {
            let field = reason
                .split_whitespace()
                .next()
                .unwrap_or("(body)")
                .to_owned();
            vec![FieldError { field, reason }]
        }
        Err(e) => vec![FieldError {
            field: "(body)".into(),
            reason: e.to_string(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_resources_are_valid() {
        for r in crate::demo::resources() {
            assert_eq!(validate(&r), vec![], "{r}");
        }
    }

    #[test]
    fn missing_and_wrong_fields_are_named() {
        let mut r = crate::demo::resources().remove(0);
        r.as_object_mut().expect("object").remove("name");
        let errors = validate(&r);
        assert_eq!(errors[0].field, "name", "{errors:?}");

        let mut r = crate::demo::resources().remove(0);
        r["locations"][0]["country"] = serde_json::json!("usa");
        let errors = validate(&r);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].reason.contains("country"), "{errors:?}");

        let mut r = crate::demo::resources().remove(0);
        r["colour"] = serde_json::json!("red");
        assert_eq!(validate(&r)[0].field, "colour");
    }

    #[test]
    fn costly_mislabelled_and_unlisted_numbers_are_refused() {
        for (number, country, want) in [
            ("+1 900-555-0199", "US", "cost"),
            ("+44 909 879 0000", "GB", "cost"),
            ("+44 808 2000 247", "US", "calling code"),
            ("4444", "US", "short code"),
        ] {
            let mut r = crate::demo::resources().remove(0);
            r["phones"] =
                serde_json::json!([{"number": number, "country": country, "kind": "voice"}]);
            let errors = validate(&r);
            assert_eq!(errors.len(), 1, "{number}: {errors:?}");
            assert_eq!(errors[0].field, "phones");
            assert!(errors[0].reason.contains(want), "{number}: {errors:?}");
            assert!(
                !errors[0].reason.contains(number),
                "the value is never echoed"
            );
        }
        let mut r = crate::demo::resources().remove(0);
        r["phones"] = serde_json::json!([
            {"number": "+44 909 879 0000", "country": "GB", "kind": "voice", "cost": "premium"}
        ]);
        assert_eq!(validate(&r), vec![], "a marked premium number is allowed");
    }

    #[test]
    fn emails_that_smuggle_mailto_syntax_are_refused() {
        for bad in [
            "a@example.org?bcc=spy@evil.example",
            "a@example.org&cc=spy@evil.example",
            "a%40example.org@example.org",
            "a@example.org,spy@evil.example",
            "a b@example.org",
        ] {
            let mut r = crate::demo::resources().remove(0);
            r["emails"] = serde_json::json!([bad]);
            let errors = validate(&r);
            assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
            assert_eq!(errors[0].field, "email", "{bad}: {errors:?}");
            assert!(
                !errors[0].reason.contains("evil"),
                "the value is never echoed"
            );
        }
        let mut r = crate::demo::resources().remove(0);
        r["emails"] = serde_json::json!(["help@example.org"]);
        assert_eq!(validate(&r), vec![]);
    }
}
