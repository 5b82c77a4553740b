//! Text folding for search and language fallback for display.

use std::collections::BTreeMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for matching: compatibility decomposition (NFKD: ligatures, full-width
/// forms), combining marks removed (é -> e, ñ -> n), lower case. Applied to both the indexed
/// text and the query, so "Trafico", "tráfico" and "TRÁFICO" meet. FTS5's own
/// `remove_diacritics 2` stays on as a second net for characters NFKD does not split.
pub fn fold(s: &str) -> String {
    s.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Builds an FTS5 MATCH expression from what the user typed: every word becomes a quoted
/// prefix term (`"traf"*`), all must match. Quoting means no user input is ever parsed as
/// FTS5 syntax. Returns `None` when nothing searchable remains.
pub fn match_expression(query: &str) -> Option<String> {
    let folded = fold(query);
    let terms: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(16)
        .map(|t| {
            let t: String = t.chars().take(64).collect();
            format!("\"{t}\"*")
        })
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

/// Picks the text in the user's language: exact tag, then its primary language (`es-MX`
/// -> `es`), then any tag of that language (`es` -> `es-419`), then English, then the first.
/// Android's `es_MX` form counts as `es-MX`. Returns the language used and the text.
pub fn pick<'a>(
    text: &'a BTreeMap<String, String>,
    user_language: &str,
) -> Option<(&'a str, &'a str)> {
    let want = user_language.trim().replace('_', "-").to_ascii_lowercase();
    let primary = want.split('-').next().unwrap_or("");
    let find = |pred: &dyn Fn(&str) -> bool| {
        text.iter()
            .find(|(k, v)| pred(&k.to_ascii_lowercase()) && !v.trim().is_empty())
            .map(|(k, v)| (k.as_str(), v.as_str()))
    };
    find(&|k| k == want)
        .or_else(|| find(&|k| k == primary))
        .or_else(|| find(&|k| k.split('-').next() == Some(primary)))
        .or_else(|| find(&|k| k == "en" || k.starts_with("en-")))
        .or_else(|| find(&|_| true))
}

/// Primary language subtag, lower case (`pt-BR` -> `pt`).
pub fn primary_language(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_case_fold_away() {
        assert_eq!(fold("Tráfico de PERSONAS"), "trafico de personas");
        assert_eq!(fold("Ligne d'écoute"), "ligne d'ecoute");
        assert_eq!(fold("ﬁnd Ｆｕｌｌ"), "find full");
    }

    #[test]
    fn user_input_never_becomes_fts_syntax() {
        assert_eq!(
            match_expression("NEAR(a b) OR \"x"),
            Some("\"near\"* \"a\"* \"b\"* \"or\"* \"x\"*".into())
        );
        assert_eq!(match_expression("  -- ** "), None);
    }

    #[test]
    fn language_falls_back_to_primary_then_english() {
        let t: BTreeMap<String, String> = [("en", "Help"), ("es", "Ayuda"), ("fr-CA", "Aide")]
            .into_iter()
            .map(|(a, b)| (a.into(), b.into()))
            .collect();
        assert_eq!(pick(&t, "es-MX"), Some(("es", "Ayuda")));
        assert_eq!(pick(&t, "es_MX"), Some(("es", "Ayuda")));
        assert_eq!(pick(&t, "fr"), Some(("fr-CA", "Aide")));
        assert_eq!(pick(&t, "de"), Some(("en", "Help")));
    }
}
