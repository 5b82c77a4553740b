//! Contact grammar shared by every side that handles a record: the server's draft API, the
//! bundle verifier and the phone's link builder all call these, so an address one side
//! accepts is an address every side accepts.
//!
//! E-mail addresses follow a deliberately conservative subset of the RFC 5322 `addr-spec`
//! (dot-atom only, ASCII only). Everything the `mailto:` URI gives a meaning to (`?` starts
//! header fields such as a hidden `bcc=`, `&` separates them, `%` escapes, `,` separates
//! recipients) is refused, and [`mailto_uri`] percent-encodes anyway, so a link never
//! carries more than the one recipient that is shown.

/// Longest address accepted (RFC 5321 §4.5.3.1.3 path limit minus the angle brackets).
pub const MAX_EMAIL_LEN: usize = 254;
/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_LEN: usize = 64;
/// Longest domain (RFC 1035 §2.3.4, textual form).
const MAX_DOMAIN_LEN: usize = 253;
/// Longest domain label (RFC 1035 §2.3.4).
const MAX_LABEL_LEN: usize = 63;

/// Why an e-mail address was refused (a fixed phrase: the address is never echoed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidEmail(pub &'static str);

impl std::fmt::Display for InvalidEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

fn local_char_ok(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-')
}

/// Checks `s` against the conservative address grammar:
///
/// ```text
/// address = local "@" domain                 ; at most 254 bytes, ASCII only
/// local   = atom *("." atom)                 ; at most 64 bytes
/// atom    = 1*(ALPHA / DIGIT / "_" / "+" / "-")
/// domain  = label 1*("." label)              ; at most 253 bytes, at least two labels
/// label   = alnum [*(alnum / "-") alnum]     ; 1-63 bytes, no leading or trailing "-"
/// ```
///
/// The last label (the top-level domain) must not be all digits. Internationalised domains
/// are written in their `xn--` form. Quoted local parts, comments, IP literals and every
/// other RFC 5322 form are refused: a help line does not need them, and each one is a way to
/// smuggle `mailto:` syntax past a looser check.
pub fn validate_email(s: &str) -> Result<(), InvalidEmail> {
    if s.is_empty() || s.len() > MAX_EMAIL_LEN {
        return Err(InvalidEmail("email length is out of range"));
    }
    if !s.is_ascii() {
        return Err(InvalidEmail(
            "email must be ASCII (write the domain in its xn-- form)",
        ));
    }
    let (local, domain) = s.split_once('@').ok_or(InvalidEmail("email has no @"))?;
    if domain.contains('@') {
        return Err(InvalidEmail("email has more than one @"));
    }
    if local.is_empty() || local.len() > MAX_LOCAL_LEN {
        return Err(InvalidEmail("email local part length is out of range"));
    }
    if !local.bytes().all(local_char_ok) {
        return Err(InvalidEmail(
            "email local part has a character outside [A-Za-z0-9._+-]",
        ));
    }
    if local.split('.').any(str::is_empty) {
        return Err(InvalidEmail(
            "email local part has an empty dot-separated part",
        ));
    }
    if domain.len() > MAX_DOMAIN_LEN {
        return Err(InvalidEmail("email domain is too long"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(InvalidEmail("email domain needs at least two labels"));
    }
    for label in &labels {
        let ok = !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && label
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(InvalidEmail("email domain has a malformed label"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|c| c.is_ascii_digit()))
    {
        return Err(InvalidEmail("email domain has a numeric top-level label"));
    }
    Ok(())
}

/// True if [`validate_email`] accepts `s`.
pub fn is_email(s: &str) -> bool {
    validate_email(s).is_ok()
}

/// Percent-encodes every byte of `s` outside RFC 3986 `unreserved` and `@`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `mailto:` link (RFC 6068) for one validated address: the address alone, no header
/// fields, with every byte outside `unreserved` and `@` percent-encoded (`+` becomes `%2B`).
/// Refuses an address [`validate_email`] refuses.
pub fn mailto_uri(address: &str) -> Result<String, InvalidEmail> {
    validate_email(address)?;
    Ok(format!("mailto:{}", percent_encode(address)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        for ok in [
            "help@example.org",
            "a@example.org",
            "first.last@sub.example.co.uk",
            "intake+web@example.org",
            "a_b-c@xn--bcher-kva.example",
            "x@a1.io",
        ] {
            assert_eq!(validate_email(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn mailto_syntax_and_odd_forms_are_refused() {
        for bad in [
            "a@example.org?bcc=spy@evil.example",
            "a@example.org?cc=spy@evil.example",
            "a@example.org&bcc=spy@evil.example",
            "a%40example.org@example.org",
            "a@example.org,spy@evil.example",
            "a@example.org;spy@evil.example",
            "a @example.org",
            "a@example.org\n",
            "a@exa\u{7f}mple.org",
            "\"a b\"@example.org",
            "a@[127.0.0.1]",
            "a@example.org#x",
            "a@localhost",
            "a@1.2.3.4",
            "a@-example.org",
            "a@example-.org",
            "a@example..org",
            ".a@example.org",
            "a.@example.org",
            "a..b@example.org",
            "a@b@example.org",
            "@example.org",
            "a@",
            "",
            "ä@example.org",
            "a@exämple.org",
            "a/b@example.org",
            "a=b@example.org",
            "(c)a@example.org",
        ] {
            assert!(validate_email(bad).is_err(), "{bad:?} must be refused");
            assert!(mailto_uri(bad).is_err(), "{bad:?} must not become a link");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert!(validate_email(&long_local).is_err());
        let long_label = format!("a@{}.org", "b".repeat(64));
        assert!(validate_email(&long_label).is_err());
        let long = format!("a@{}.org", vec!["b".repeat(60); 5].join("."));
        assert!(validate_email(&long).is_err());
    }

    #[test]
    fn mailto_links_carry_only_the_encoded_address() {
        assert_eq!(
            mailto_uri("help@example.org").as_deref(),
            Ok("mailto:help@example.org")
        );
        assert_eq!(
            mailto_uri("intake+web@example.org").as_deref(),
            Ok("mailto:intake%2Bweb@example.org")
        );
    }
}
