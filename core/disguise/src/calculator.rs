//! The decoy calculator: a real, boring, four-function phone calculator.
//!
//! Someone who picks up the phone must find a calculator that works like the one they know.
//! The model is the portrait calculator of a common phone (iPhone style):
//!
//! - keys: digits, `.`, `+ − × ÷`, `=`, `%`, `±` (sign change), `C` (clear all), `⌫`
//!   (backspace). No parentheses: the decoy's keypad does not show them.
//! - `×` and `÷` bind tighter than `+` and `−` (`2+3×4=` is 14). While an expression is
//!   pending the display shows the last value that could be reduced (`2×3+` shows 6).
//! - Pressing an operator right after another replaces it (`2+×3=` is 6).
//! - Repeated `=` repeats the last operation (`2+3==` is 8); `=` with no second operand
//!   uses the displayed value (`5×=` is 25).
//! - `%` divides by 100, except after `+`/`−`, where it is a percentage of the left operand
//!   (`50+10%=` is 55).
//! - Entry is limited to 9 digits, one decimal point; leading zeros collapse.
//! - The display shows at most 9 digits (counting the `0` of `0.5`), no grouping separators; values of
//!   1e9 or more, or below 1e-8, switch to exponent form with up to 6 significant digits
//!   (`1e9`, `1.23457e12`, `5e-9`). Division by zero, or a result too large for the
//!   display's number type, shows `Error`; the next digit starts over, `C` clears.
//!
//! The display text is always written with `.` and the digits 0-9; [`render_display`] writes
//! it the way the phone's own calculator would in the person's language ([`NumberSymbols`]:
//! `3,5` in Spanish, `٣٫٥` in Arabic). Rendering never feeds back: the unlock candidate is
//! built from the digit keys pressed, never from what the display shows.
//!
//! The secret code: a run of 6 to 16 digit keys followed directly by `=`, with nothing else
//! since the last `=` or `C`, is an *unlock candidate*. The display shows exactly what it
//! would for any other number (`123456=` shows 123456) and the candidate is handed back to
//! the caller, which tries it against the vault off the UI thread. The calculator itself
//! never compares codes and never says "wrong". Backspace removes the last digit from the
//! candidate as well as from the display.

use std::fmt;

use zeroize::Zeroize;

/// Fewest digits that make an unlock candidate: ordinary sums rarely look like this, so a
/// person playing with the calculator does not keep trying the vault.
pub const MIN_CODE_LEN: usize = 6;
/// Most digits tracked for a candidate; longer runs are ordinary numbers.
pub const MAX_CODE_LEN: usize = 16;
/// Most digits a person can type into one number.
pub const MAX_ENTRY_DIGITS: usize = 9;
/// Most characters the display shows (sign, digits, point, exponent).
pub const DISPLAY_MAX_CHARS: usize = 11;
/// What the display shows after a division by zero or an overflow.
pub const ERROR_TEXT: &str = "Error";

/// One key on the decoy's keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A digit 0–9 (values above 9 are treated as 9).
    Digit(u8),
    /// The decimal point.
    Point,
    /// `+`
    Add,
    /// `−`
    Subtract,
    /// `×`
    Multiply,
    /// `÷`
    Divide,
    /// `=`
    Equals,
    /// `%`
    Percent,
    /// `±`
    Negate,
    /// `C` (all clear)
    Clear,
    /// `⌫`
    Backspace,
}

impl Key {
    /// The key a character stands for, as typed on a desktop keyboard or the CLI:
    /// digits, `.` or `,`, `+`, `-` or `−`, `*` `x` `×`, `/` `÷`, `=`, `%`, `n` or `±`,
    /// `c` or `C`, `<` or `⌫`. Whitespace and anything else is `None`.
    pub fn from_char(c: char) -> Option<Key> {
        Some(match c {
            '0'..='9' => Key::Digit(c as u8 - b'0'),
            '.' | ',' => Key::Point,
            '+' => Key::Add,
            '-' | '−' => Key::Subtract,
            '*' | 'x' | 'X' | '×' => Key::Multiply,
            '/' | '÷' => Key::Divide,
            '=' => Key::Equals,
            '%' => Key::Percent,
            'n' | 'N' | '±' => Key::Negate,
            'c' | 'C' => Key::Clear,
            '<' | '⌫' => Key::Backspace,
            _ => return None,
        })
    }

    /// Parses a whole key string (`"12+3="`). Whitespace is ignored; any other unknown
    /// character is an error naming its position.
    pub fn parse_all(keys: &str) -> Result<Vec<Key>, String> {
        keys.chars()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, c)| {
                Key::from_char(c).ok_or_else(|| format!("unknown key at position {}", i + 1))
            })
            .collect()
    }

    /// Maps any byte onto a key (for fuzzing and property tests).
    pub fn from_byte(b: u8) -> Key {
        match b % 20 {
            d @ 0..=9 => Key::Digit(d),
            10 => Key::Point,
            11 => Key::Add,
            12 => Key::Subtract,
            13 => Key::Multiply,
            14 => Key::Divide,
            15 => Key::Equals,
            16 => Key::Percent,
            17 => Key::Negate,
            18 => Key::Clear,
            _ => Key::Backspace,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    fn precedence(self) -> u8 {
        match self {
            Op::Add | Op::Sub => 1,
            Op::Mul | Op::Div => 2,
        }
    }

    fn apply(self, a: f64, b: f64) -> Option<f64> {
        let r = match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div if b == 0.0 => return None,
            Op::Div => a / b,
        };
        r.is_finite().then_some(r)
    }
}

/// What a key press produced.
#[derive(PartialEq, Eq)]
pub struct Press {
    /// What the display shows now.
    pub display: String,
    /// A secret-code candidate to try against the vault (only after `=`). Never shown.
    pub unlock_candidate: Option<String>,
}

impl fmt::Debug for Press {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The display and the candidate may be the owner's code: never print them.
        f.debug_struct("Press")
            .field("display_len", &self.display.len())
            .field(
                "unlock_candidate",
                &self.unlock_candidate.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// The calculator's whole state. Cheap to create; one per decoy screen.
#[derive(Clone)]
pub struct Calculator {
    /// Text being typed (optional leading `-`, digits, at most one `.`).
    entry: Option<String>,
    /// The value shown when nothing is being typed.
    value: f64,
    /// True once the display holds a right-hand operand for the pending operator.
    has_operand: bool,
    /// Pending left operands and operators, lowest precedence first.
    stack: Vec<(f64, Op)>,
    /// The last operation `=` applied, for repeated `=`.
    last: Option<(Op, f64)>,
    error: bool,
    /// Digit keys since the last `=` or `C`; `None` once anything else was pressed.
    code: Option<String>,
}

impl fmt::Debug for Calculator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The display may be showing the owner's code: print nothing of it.
        f.debug_struct("Calculator").finish_non_exhaustive()
    }
}

impl Default for Calculator {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Calculator {
    fn drop(&mut self) {
        self.wipe_code();
    }
}

impl Calculator {
    /// A cleared calculator showing `0`.
    pub fn new() -> Self {
        Calculator {
            entry: None,
            value: 0.0,
            has_operand: true,
            stack: Vec::new(),
            last: None,
            error: false,
            code: Some(String::new()),
        }
    }

    /// What the display shows.
    pub fn display(&self) -> String {
        if self.error {
            return ERROR_TEXT.to_owned();
        }
        match &self.entry {
            Some(text) => entry_display(text),
            None => format_number(self.value),
        }
    }

    /// Presses several keys; returns the last press (and the last candidate, if any).
    pub fn press_all(&mut self, keys: &[Key]) -> Press {
        let mut candidate = None;
        let mut display = self.display();
        for &k in keys {
            let p = self.press(k);
            display = p.display;
            if p.unlock_candidate.is_some() {
                candidate = p.unlock_candidate;
            }
        }
        Press {
            display,
            unlock_candidate: candidate,
        }
    }

    /// Presses one key.
    pub fn press(&mut self, key: Key) -> Press {
        let mut candidate = None;
        match key {
            Key::Digit(d) => self.digit(d.min(9)),
            Key::Point => self.point(),
            Key::Add => self.operator(Op::Add),
            Key::Subtract => self.operator(Op::Sub),
            Key::Multiply => self.operator(Op::Mul),
            Key::Divide => self.operator(Op::Div),
            Key::Equals => candidate = self.equals(),
            Key::Percent => self.percent(),
            Key::Negate => self.negate(),
            Key::Clear => self.clear(),
            Key::Backspace => self.backspace(),
        }
        Press {
            display: self.display(),
            unlock_candidate: candidate,
        }
    }

    fn wipe_code(&mut self) {
        if let Some(code) = self.code.as_mut() {
            code.zeroize();
        }
    }

    fn break_code(&mut self) {
        self.wipe_code();
        self.code = None;
    }

    fn restart_code(&mut self) {
        self.wipe_code();
        self.code = Some(String::new());
    }

    fn clear(&mut self) {
        self.wipe_code();
        *self = Calculator::new();
    }

    fn current(&self) -> f64 {
        match &self.entry {
            Some(text) => parse_entry(text),
            None => self.value,
        }
    }

    fn fail(&mut self) {
        self.error = true;
        self.entry = None;
        self.stack.clear();
        self.last = None;
        self.value = 0.0;
        self.break_code();
    }

    fn digit(&mut self, d: u8) {
        if self.error {
            self.clear();
        }
        match self.code.as_mut() {
            Some(code) if code.len() < MAX_CODE_LEN => code.push(char::from(b'0' + d)),
            Some(_) => self.break_code(),
            None => {}
        }
        let entry = self.entry.get_or_insert_with(String::new);
        let digits = entry.chars().filter(char::is_ascii_digit).count();
        let body = entry.trim_start_matches('-');
        if body == "0" {
            // A leading zero is replaced, not extended.
            entry.pop();
            entry.push(char::from(b'0' + d));
        } else if digits < MAX_ENTRY_DIGITS {
            entry.push(char::from(b'0' + d));
        }
        self.has_operand = true;
    }

    fn point(&mut self) {
        if self.error {
            self.clear();
        }
        self.break_code();
        let entry = self.entry.get_or_insert_with(String::new);
        if entry.contains('.') {
            return;
        }
        if entry.trim_start_matches('-').is_empty() {
            entry.push('0');
        }
        entry.push('.');
        self.has_operand = true;
    }

    fn operator(&mut self, op: Op) {
        if self.error {
            return;
        }
        self.break_code();
        if !self.has_operand {
            if let Some(top) = self.stack.last_mut() {
                // Two operators in a row: the second replaces the first.
                top.1 = op;
                return;
            }
        }
        let mut x = self.current();
        self.entry = None;
        while let Some(&(left, top)) = self.stack.last() {
            if top.precedence() < op.precedence() {
                break;
            }
            self.stack.pop();
            match top.apply(left, x) {
                Some(r) => x = r,
                None => return self.fail(),
            }
        }
        self.stack.push((x, op));
        self.value = x;
        self.has_operand = false;
    }

    fn equals(&mut self) -> Option<String> {
        if self.error {
            return None;
        }
        let candidate = match self.code.take() {
            Some(code) if code.len() >= MIN_CODE_LEN && self.stack.is_empty() => Some(code),
            Some(mut code) => {
                code.zeroize();
                None
            }
            None => None,
        };
        let mut x = self.current();
        self.entry = None;
        if self.stack.is_empty() {
            if let Some((op, y)) = self.last {
                match op.apply(x, y) {
                    Some(r) => x = r,
                    None => {
                        self.fail();
                        return candidate;
                    }
                }
            }
        } else {
            // Remember the innermost operation for repeated `=`.
            if let Some(&(_, op)) = self.stack.last() {
                self.last = Some((op, x));
            }
            while let Some((left, op)) = self.stack.pop() {
                match op.apply(left, x) {
                    Some(r) => x = r,
                    None => {
                        self.fail();
                        return candidate;
                    }
                }
            }
        }
        self.value = x;
        self.has_operand = true;
        self.restart_code();
        candidate
    }

    fn percent(&mut self) {
        if self.error {
            return;
        }
        self.break_code();
        let x = self.current();
        let r = match self.stack.last() {
            Some(&(left, Op::Add | Op::Sub)) => left * x / 100.0,
            _ => x / 100.0,
        };
        if !r.is_finite() {
            return self.fail();
        }
        self.entry = None;
        self.value = r;
        self.has_operand = true;
    }

    fn negate(&mut self) {
        if self.error {
            return;
        }
        self.break_code();
        if !self.has_operand {
            // Sign change while waiting for an operand starts a negative entry: "-0".
            self.entry = Some("-".to_owned());
            self.has_operand = true;
            return;
        }
        match self.entry.as_mut() {
            Some(text) => {
                if let Some(rest) = text.strip_prefix('-') {
                    *text = rest.to_owned();
                } else {
                    text.insert(0, '-');
                }
            }
            // On a cleared display a sign change starts a negative entry, as phones do.
            None if self.value == 0.0 => self.entry = Some("-".to_owned()),
            None => self.value = -self.value,
        }
    }

    fn backspace(&mut self) {
        if self.error {
            return;
        }
        if let Some(text) = self.entry.as_mut() {
            if text.pop().is_some_and(|c| c.is_ascii_digit()) {
                if let Some(code) = self.code.as_mut() {
                    code.pop();
                }
            }
        }
    }
}

fn parse_entry(text: &str) -> f64 {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = body.trim_end_matches('.');
    let v: f64 = if body.is_empty() {
        0.0
    } else {
        body.parse().unwrap_or(0.0)
    };
    if negative {
        -v
    } else {
        v
    }
}

fn entry_display(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let body = if body.is_empty() { "0" } else { body };
    format!("{sign}{body}")
}

/// Formats a value the way the display shows it (see the module docs).
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return ERROR_TEXT.to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let abs = v.abs();
    if (1e-8..1e9).contains(&abs) {
        // At most 9 digits on the display, counting a leading "0." for fractions.
        let int_digits = if abs >= 1.0 {
            abs.log10().floor() as i32 + 1
        } else {
            1
        };
        let decimals = (MAX_ENTRY_DIGITS as i32 - int_digits).clamp(0, 8) as usize;
        let text = trim_fraction(format!("{v:.decimals$}"));
        let int_len = text
            .trim_start_matches('-')
            .split('.')
            .next()
            .map_or(0, str::len);
        // Rounding can carry into a tenth digit (999999999.6): then exponent form.
        if int_len <= MAX_ENTRY_DIGITS {
            return text;
        }
    }
    exponent_form(v)
}

fn trim_fraction(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn exponent_form(v: f64) -> String {
    // Up to 6 significant digits, fewer when a three-digit exponent needs the room: the
    // display holds at most DISPLAY_MAX_CHARS characters, sign included.
    let mut text = String::new();
    for precision in (0..=5usize).rev() {
        let raw = format!("{v:.precision$e}");
        text = match raw.split_once('e') {
            Some((mantissa, exp)) => format!("{}e{}", trim_fraction(mantissa.to_owned()), exp),
            None => raw,
        };
        if text.chars().count() <= DISPLAY_MAX_CHARS {
            break;
        }
    }
    text
}

/// How a language writes the calculator's numbers: the symbols of its default numbering
/// system in CLDR (Unicode's locale data, which the phones' own calculators follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberSymbols {
    /// Decimal separator.
    pub decimal: &'static str,
    /// The digits 0 to 9.
    pub digits: [char; 10],
    /// Minus sign.
    pub minus: &'static str,
    /// The mark before an exponent (`1.5e12`).
    pub exponent: &'static str,
}

impl NumberSymbols {
    /// Western digits and a decimal point (English, Chinese): the display as it is.
    pub const LATIN_POINT: NumberSymbols = NumberSymbols {
        decimal: ".",
        digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        minus: "-",
        exponent: "e",
    };
    /// Western digits and a decimal comma (Spanish, Vietnamese).
    pub const LATIN_COMMA: NumberSymbols = NumberSymbols {
        decimal: ",",
        ..NumberSymbols::LATIN_POINT
    };
    /// CLDR's `arab` numbering system, the default for `ar`: Arabic-Indic digits, the Arabic
    /// decimal separator U+066B, a minus sign led by the Arabic letter mark U+061C (so it
    /// stays before the number in right-to-left text) and the exponent mark "أس".
    pub const ARABIC_INDIC: NumberSymbols = NumberSymbols {
        decimal: "\u{066B}",
        digits: [
            '\u{0660}', '\u{0661}', '\u{0662}', '\u{0663}', '\u{0664}', '\u{0665}', '\u{0666}',
            '\u{0667}', '\u{0668}', '\u{0669}',
        ],
        minus: "\u{061C}-",
        exponent: "\u{0623}\u{0633}",
    };
}

/// `display` (as [`Calculator::display`] gives it) written with `symbols`. [`ERROR_TEXT`] is
/// returned unchanged: it is a word, which the caller translates.
pub fn render_display(display: &str, symbols: &NumberSymbols) -> String {
    if display == ERROR_TEXT {
        return display.to_owned();
    }
    let mut out = String::with_capacity(display.len() * 2);
    for c in display.chars() {
        match c {
            '0'..='9' => out.push(symbols.digits[usize::from(c as u8 - b'0')]),
            '.' => out.push_str(symbols.decimal),
            '-' => out.push_str(symbols.minus),
            'e' => out.push_str(symbols.exponent),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(keys: &str) -> String {
        let mut c = Calculator::new();
        c.press_all(&Key::parse_all(keys).expect("keys")).display
    }

    /// Key sequences and what the display shows afterwards, as on a phone calculator.
    const TABLE: &[(&str, &str)] = &[
        ("", "0"),
        ("7", "7"),
        ("0", "0"),
        ("000", "0"),
        ("007", "7"),
        ("12+3=", "15"),
        ("12-30=", "-18"),
        ("6x7=", "42"),
        ("84/4=", "21"),
        ("1/3=", "0.33333333"),
        ("2/3=", "0.66666667"),
        ("10/4=", "2.5"),
        ("2+3x4=", "14"),
        ("2x3+4=", "10"),
        ("2+3x4-5=", "9"),
        ("10-2x3=", "4"),
        ("8/2/2=", "2"),
        ("2x3+", "6"),
        ("2+3x", "3"),
        ("2+3x4+", "14"),
        ("2+x3=", "6"),
        ("5x-2=", "3"),
        ("2+3==", "8"),
        ("2+3===", "11"),
        ("2x3==", "18"),
        ("10-1==", "8"),
        ("5x=", "25"),
        ("5+=", "10"),
        ("2+3=7=", "10"),
        ("9/0=", "Error"),
        ("9/0=5", "5"),
        ("9/0=5+1=", "6"),
        ("9/0=+", "Error"),
        ("9/0=C", "0"),
        ("0/0=", "Error"),
        ("1.5+1.5=", "3"),
        ("0.1+0.2=", "0.3"),
        (".5", "0.5"),
        ("1..5", "1.5"),
        ("1.2.3", "1.23"),
        ("1.50", "1.50"),
        ("3.", "3."),
        ("50%", "0.5"),
        ("50+10%", "5"),
        ("50+10%=", "55"),
        ("50-10%=", "45"),
        ("50x10%=", "5"),
        ("200/10%=", "2000"),
        ("5n", "-5"),
        ("5nn", "5"),
        ("n", "-0"),
        ("n5", "-5"),
        ("3+n2=", "1"),
        ("2+3=n", "-5"),
        ("123<", "12"),
        ("1<", "0"),
        ("1<<<", "0"),
        ("12+3=<", "15"),
        ("123456789", "123456789"),
        ("1234567891", "123456789"),
        ("999999999+1=", "1e9"),
        ("123456789x1000=", "1.23457e11"),
        ("99999x99999=", "9.9998e9"),
        ("1/100000000/10=", "1e-9"),
        ("1/100000000=", "0.00000001"),
        ("0.00000001/10=", "1e-9"),
        ("12345678x10=", "123456780"),
        ("C", "0"),
        ("1/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999=", "1e-108"),
        ("n1/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/999999999/7=", "-1.429e-100"),
        ("12+3C", "0"),
        ("12+3C4=", "4"),
        ("3x3x3x3x3x3x3x3x3x3x3x3x3x3x3x3x3x3x3x3=", "3.48678e9"),
        ("999999999x999999999x999999999x999999999=", "1e36"),
        ("1/3x3=", "1"),
        ("7-7=", "0"),
        ("0.1x3=", "0.3"),
        ("999999999x=x=x=x=x=x=", "Error"),
        ("999999999x=x=x=x=x=x=5", "5"),
    ];

    #[test]
    fn behaves_like_a_phone_calculator() {
        assert!(TABLE.len() >= 60, "the issue asks for at least 60 rows");
        let failures: Vec<String> = TABLE
            .iter()
            .filter_map(|(keys, want)| {
                let got = run(keys);
                (got != *want).then(|| format!("{keys:?}: got {got:?}, want {want:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn digit_run_then_equals_is_a_candidate_and_shows_the_number() {
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("271828=").expect("keys"));
        assert_eq!(p.display, "271828");
        assert_eq!(p.unlock_candidate.as_deref(), Some("271828"));
    }

    #[test]
    fn leading_zeros_count_in_the_code_but_not_on_the_display() {
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("00123456=").expect("keys"));
        assert_eq!(p.display, "123456");
        assert_eq!(p.unlock_candidate.as_deref(), Some("00123456"));
    }

    #[test]
    fn backspace_corrects_the_code_too() {
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("2718289<=").expect("keys"));
        assert_eq!(p.unlock_candidate.as_deref(), Some("271828"));
    }

    #[test]
    fn arithmetic_is_never_a_candidate() {
        for keys in [
            "12+3=",
            "123456+1=",
            "1234.56=",
            "123456n=",
            "12345=",
            "123456%=",
            "1+1=123456+0=",
        ] {
            let mut c = Calculator::new();
            let p = c.press_all(&Key::parse_all(keys).expect("keys"));
            assert_eq!(p.unlock_candidate, None, "{keys}");
        }
    }

    #[test]
    fn a_code_after_a_finished_sum_is_a_candidate() {
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("1+1=123456=").expect("keys"));
        assert_eq!(p.unlock_candidate.as_deref(), Some("123456"));
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("9/0=C123456=").expect("keys"));
        assert_eq!(p.unlock_candidate.as_deref(), Some("123456"));
    }

    #[test]
    fn overlong_digit_runs_are_not_candidates() {
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("12345678901234567=").expect("keys"));
        assert_eq!(p.unlock_candidate, None);
    }

    #[test]
    fn debug_never_shows_the_candidate() {
        let mut c = Calculator::new();
        let p = c.press_all(&Key::parse_all("9182736=").expect("keys"));
        assert!(!format!("{p:?}").contains("9182736"));
        assert!(!format!("{c:?}").contains("918273"));
    }

    #[test]
    fn unknown_keys_are_rejected_with_position() {
        assert_eq!(
            Key::parse_all("1+a").unwrap_err(),
            "unknown key at position 3"
        );
        assert_eq!(Key::parse_all(" 1 + 2 = ").expect("spaces").len(), 4);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_display_stays_short(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let mut c = Calculator::new();
            for b in bytes {
                let p = c.press(Key::from_byte(b));
                proptest::prop_assert!(p.display.chars().count() <= DISPLAY_MAX_CHARS, "display {:?}", p.display);
                proptest::prop_assert!(!p.display.contains("inf") && !p.display.contains("NaN"));
            }
        }
    }

    #[test]
    fn rendering_writes_each_languages_numbers_and_leaves_the_value_alone() {
        let arabic = NumberSymbols::ARABIC_INDIC;
        for (keys, point, comma, arab) in [
            ("3.5", "3.5", "3,5", "\u{0663}\u{066B}\u{0665}"),
            ("1234567890", "123456789", "123456789", "١٢٣٤٥٦٧٨٩"),
            ("7±", "-7", "-7", "\u{061C}-\u{0667}"),
            ("0.25", "0.25", "0,25", "٠٫٢٥"),
            ("1÷3=", "0.33333333", "0,33333333", "٠٫٣٣٣٣٣٣٣٣"),
            ("99999×99999=", "9.9998e9", "9,9998e9", "٩٫٩٩٩٨أس٩"),
            ("1÷0=", ERROR_TEXT, ERROR_TEXT, ERROR_TEXT),
        ] {
            let display = run(keys);
            assert_eq!(
                render_display(&display, &NumberSymbols::LATIN_POINT),
                point,
                "{keys}"
            );
            assert_eq!(
                render_display(&display, &NumberSymbols::LATIN_COMMA),
                comma,
                "{keys}"
            );
            assert_eq!(render_display(&display, &arabic), arab, "{keys}");
        }
    }
}
