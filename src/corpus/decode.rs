//! Bytes → text. UTF-8 (with or without BOM), UTF-16 and UTF-32 with BOM are read as they are;
//! otherwise Shift_JIS and EUC-JP are tried and the more plausible Japanese reading wins,
//! and the caller reports which encoding was assumed. Empty and binary files are refused.

use encoding_rs::{EUC_JP, Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE};

use crate::error::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-32LE (BOM)", "Shift_JIS", "EUC-JP".
    pub encoding: String,
    /// True when the encoding was guessed (not UTF-8): worth telling the user.
    pub guessed: bool,
}

/// Decode a file's bytes; `Err` holds a one-line reason (the caller adds the path).
pub fn decode(bytes: &[u8]) -> Result<Decoded, Text> {
    if bytes.is_empty() {
        return Err(tr!("空のファイルです", "empty file"));
    }
    let done = |text: String, encoding: &str, guessed: bool| -> Result<Decoded, Text> {
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
        {
            return Err(tr!(
                "空のファイルです(空白だけ)",
                "empty file (only whitespace)"
            ));
        }
        Ok(Decoded {
            // Copies only when there is a CR (one huge file would otherwise be held 3×).
            text: if text.contains('\r') {
                text.replace("\r\n", "\n").replace('\r', "\n")
            } else {
                text
            },
            encoding: encoding.into(),
            guessed,
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => done(s.to_string(), "UTF-8 (BOM)", false),
            Err(e) => {
                let at = e.valid_up_to() + 3;
                Err(tr!(
                    "UTF-8 の BOM がありますが、{at}バイト目が UTF-8 として不正です",
                    "has a UTF-8 BOM but invalid UTF-8 at byte {at}"
                ))
            }
        };
    }
    // UTF-32 first: its little-endian BOM starts with UTF-16LE's. encoding_rs (WHATWG) has
    // no UTF-32, and decoding it is a few lines.
    for (bom, le, name) in [
        (&b"\xFF\xFE\x00\x00"[..], true, "UTF-32LE (BOM)"),
        (&b"\x00\x00\xFE\xFF"[..], false, "UTF-32BE (BOM)"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match utf32(rest, le) {
                Some(text) => done(text, name, false),
                None => Err(tr!(
                    "{name} の BOM がありますが、UTF-32 として不正です",
                    "has a {name} but is not valid UTF-32"
                )),
            };
        }
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], UTF_16LE, "UTF-16LE (BOM)"),
        (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16BE (BOM)"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            // UTF-16 text holds NUL bytes (the high byte of every ASCII character, newlines
            // included); UTF-8 after the BOM (an editor's mistake) holds none.
            if !rest.contains(&0) && rest.len() > 2 && std::str::from_utf8(rest).is_ok() {
                return Err(tr!(
                    "{name} の BOM で始まりますが、その後ろは UTF-8 です。UTF-8 で保存し直してください",
                    "starts with a {name} but the text after it is UTF-8; save it again as UTF-8"
                ));
            }
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                let enc = enc.name();
                return Err(tr!(
                    "{name} の BOM がありますが、{enc} として不正です",
                    "has a {name} but is not valid {enc}"
                ));
            }
            return done(text.into_owned(), name, false);
        }
    }
    if bytes.contains(&0) {
        // A few NUL bytes in otherwise valid UTF-8 (a stray byte from a tool): UTF-16 of any
        // text has far more (see above), so this is damaged UTF-8, said as such.
        let nuls = bytes.iter().filter(|&&b| b == 0).count();
        if nuls * 100 < bytes.len() && std::str::from_utf8(bytes).is_ok() {
            let at = bytes.iter().position(|&b| b == 0).unwrap_or(0);
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            return Err(tr!(
                "UTF-8 のテキストに NUL バイトが{nuls}個あります(最初は{at}バイト目、{line}行目)。取り除いてください",
                "UTF-8 text with {nuls} NUL byte(s), the first at byte {at} (line {line}); remove them"
            ));
        }
        if let Some((text, name)) = utf16_without_bom(bytes) {
            return done(text, name, true);
        }
        return Err(tr!(
            "バイナリファイルです(NUL バイトを含む)。テキストではありません",
            "binary file (NUL bytes), not text"
        ));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if looks_binary(s) {
            return Err(tr!(
                "バイナリファイルです(制御文字を含む)。テキストではありません",
                "binary file (control characters), not text"
            ));
        }
        return done(s.to_string(), "UTF-8", false);
    }
    let mut best: Option<(i64, &'static Encoding, String)> = None;
    for enc in [SHIFT_JIS, EUC_JP] {
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            let score = japanese_score(&text);
            if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
                best = Some((score, enc, text.into_owned()));
            }
        }
    }
    match best {
        Some((score, enc, text)) if score > 0 && !looks_binary(&text) => {
            done(text, enc.name(), true)
        }
        _ => Err(tr!(
            "テキストではありません: UTF-8、Shift_JIS、EUC-JP のどれとしても不正です(バイナリファイルか、読めない文字コード)",
            "not text: invalid as UTF-8, Shift_JIS and EUC-JP (binary file or unsupported encoding)"
        )),
    }
}

/// UTF-32 code units (after the BOM) as text; `None` when a unit is not a scalar value or
/// the length is not a multiple of four.
fn utf32(bytes: &[u8], le: bool) -> Option<String> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    bytes
        .chunks_exact(4)
        .map(|c| {
            let b = [c[0], c[1], c[2], c[3]];
            char::from_u32(if le {
                u32::from_le_bytes(b)
            } else {
                u32::from_be_bytes(b)
            })
        })
        .collect()
}

/// UTF-16 without a BOM: NUL bytes (the high bytes of ASCII) mostly on odd positions (LE)
/// or mostly on even ones (BE) — a kanji such as 最 (U+6700) has a zero low byte, so not
/// only — valid UTF-16, and text, not binary, once decoded.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let (enc, name) = if odd > 4 * even {
        (UTF_16LE, "UTF-16LE (no BOM)")
    } else if even > 4 * odd {
        (UTF_16BE, "UTF-16BE (no BOM)")
    } else {
        return None;
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors && !looks_binary(&text) && !text.contains('\0')).then(|| (text.into_owned(), name))
}

/// Many control characters other than tab/newline: not a text file.
fn looks_binary(s: &str) -> bool {
    let total = s.chars().count().max(1);
    let controls = s
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    controls * 100 > total
}

/// How much a decoding looks like Japanese text: kana and common kanji count for it,
/// half-width katakana and private-use/rare symbols (what a wrong guess produces) against.
fn japanese_score(s: &str) -> i64 {
    let mut score = 0i64;
    for c in s.chars() {
        score += match c as u32 {
            0x3040..=0x30FF => 3,
            0x3000..=0x303F => 1,
            0x4E00..=0x9FFF => 2,
            0xFF61..=0xFF9F => -3,
            0xE000..=0xF8FF => -5,
            0x20..=0x7E | 0x0A | 0x0D | 0x09 => 0,
            _ => -1,
        };
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    const JA: &str =
        "採択\n2025/01/26 10:35\nインシデント対応の振り返りとポストモーテムの話です。\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(JA.as_bytes()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str(), d.guessed),
            (JA, "UTF-8", false)
        );
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(JA.as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(d.text, JA);
        assert_eq!(d.encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn shift_jis_and_euc_jp_are_detected() {
        for enc in [SHIFT_JIS, EUC_JP] {
            let (bytes, _, _) = enc.encode(JA);
            assert!(std::str::from_utf8(&bytes).is_err());
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, JA, "{}", enc.name());
            assert_eq!(d.encoding, enc.name());
            assert!(d.guessed);
        }
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        let le: Vec<u8> = JA.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = JA.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode(&le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str(), d.guessed),
            (JA, "UTF-16LE (no BOM)", true)
        );
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE (no BOM)");
        assert!(
            decode(b"PK\x03\x04\x00\x00ab")
                .unwrap_err()
                .en
                .contains("NUL")
        );
    }

    #[test]
    fn utf32_stray_nuls_and_a_wrong_bom_are_named() {
        let mut le = b"\xFF\xFE\x00\x00".to_vec();
        le.extend(JA.chars().flat_map(|c| (c as u32).to_le_bytes()));
        let d = decode(&le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            (JA, "UTF-32LE (BOM)")
        );
        let mut be = b"\x00\x00\xFE\xFF".to_vec();
        be.extend(JA.chars().flat_map(|c| (c as u32).to_be_bytes()));
        assert_eq!(decode(&be).unwrap().text, JA);
        let nul = format!("{JA}{JA}{JA}\0{JA}");
        let e = decode(nul.as_bytes()).unwrap_err().en;
        assert!(e.starts_with("UTF-8 text with 1 NUL byte(s)"), "{e}");
        let mut wrong = b"\xFF\xFE".to_vec();
        wrong.extend_from_slice(JA.as_bytes());
        let e = decode(&wrong).unwrap_err().en;
        assert!(
            e.contains("UTF-16LE (BOM) but the text after it is UTF-8"),
            "{e}"
        );
    }

    #[test]
    fn crlf_is_normalized() {
        assert_eq!(decode(b"a\r\nb\r\n").unwrap().text, "a\nb\n");
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode(b"").unwrap_err().en, "empty file");
        assert!(decode(b"  \n\n").unwrap_err().en.starts_with("empty file"));
        assert!(
            decode(b"PK\x03\x04\x00\x00abc")
                .unwrap_err()
                .en
                .contains("NUL")
        );
        assert!(
            decode(&[0x80, 0xFF, 0xFE, 0xFD, 0x81, 0x7F, 0xFF])
                .unwrap_err()
                .en
                .starts_with("not text")
        );
    }
}
