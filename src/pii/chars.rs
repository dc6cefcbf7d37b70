//! Character classes and the small scanning helpers every detector is built from. The helpers
//! that walk text count their steps on the work meter ([`crate::work`]), so that the growth
//! tests see every detector's loops.

use crate::work;

pub(super) fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
}

pub(super) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Maps full-width ASCII forms and look-alike separators to ASCII; leaves other characters.
pub(super) fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{FE6B}' => '@',
            '\u{3002}' | '\u{FF61}' => '.',
            _ => c,
        })
        .collect()
}

pub(super) fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

pub(super) fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Whether position `i` starts a word (start of text or after a non-word byte).
pub(super) fn word_start(b: &[u8], i: usize) -> bool {
    i == 0 || !is_word(b[i - 1])
}

/// Whether position `i` ends a word (end of text or a non-alphanumeric byte).
pub(super) fn word_end(b: &[u8], i: usize) -> bool {
    i >= b.len() || !is_alnum(b[i])
}

pub(super) fn starts_with_ci(b: &[u8], at: usize, lit: &[u8]) -> bool {
    work::tick(lit.len());
    b.len() >= at + lit.len() && b[at..at + lit.len()].eq_ignore_ascii_case(lit)
}

pub(super) fn contains_ci(b: &[u8], lit: &[u8]) -> bool {
    work::tick(b.len());
    b.len() >= lit.len() && b.windows(lit.len()).any(|w| w.eq_ignore_ascii_case(lit))
}

/// Length of the run starting at `at` whose bytes satisfy `class`.
pub(super) fn run_len(b: &[u8], at: usize, class: fn(u8) -> bool) -> usize {
    let n = b
        .get(at..)
        .map_or(0, |rest| rest.iter().take_while(|&&c| class(c)).count());
    work::tick(n + 1);
    n
}

/// Whether `fires` holds at some position of `b`: the per-position scan of most detectors.
pub(super) fn any_at(b: &[u8], mut fires: impl FnMut(usize) -> bool) -> bool {
    (0..b.len()).any(|i| {
        work::tick(1);
        fires(i)
    })
}

pub(super) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            let d = u32::from(d);
            if k % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}
