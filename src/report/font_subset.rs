//! A web-embeddable subset of the bundled font, so report.html shows Japanese on a machine
//! with no Japanese font at all (the HTML is self-contained: no network, no system fonts).
//!
//! The subset keeps the font's structure and glyph ids (so its cmap stays valid) and empties
//! the outlines of every glyph the page does not use; `post` becomes version 3 (no glyph
//! names). That takes IPAex Gothic from 6 MB to a few hundred KB for a typical report.

use std::collections::BTreeSet;

use super::font::FONT_DATA;

fn u16_at(d: &[u8], o: usize) -> Option<u16> {
    d.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], o: usize) -> Option<u32> {
    d.get(o..o + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

struct Table<'a> {
    tag: [u8; 4],
    data: &'a [u8],
}

fn tables(font: &[u8]) -> Option<Vec<Table<'_>>> {
    let n = u16_at(font, 4)? as usize;
    (0..n)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            let offset = u32_at(font, rec + 8)? as usize;
            let len = u32_at(font, rec + 12)? as usize;
            Some(Table {
                tag,
                data: font.get(offset..offset + len)?,
            })
        })
        .collect()
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Glyph ids used by `text`, plus the components of composite glyphs.
fn glyphs_for(text: &str, glyf: &[u8], offsets: &[usize]) -> BTreeSet<u16> {
    let Ok(face) = ttf_parser::Face::parse(FONT_DATA, 0) else {
        return BTreeSet::new();
    };
    let mut keep: BTreeSet<u16> = [0u16].into_iter().collect(); // .notdef
    let chars: BTreeSet<char> = text
        .chars()
        .chain(' '..='~')
        .chain("…・ー、。「」（）".chars())
        .collect();
    let mut todo: Vec<u16> = chars
        .iter()
        .filter_map(|&c| face.glyph_index(c))
        .map(|g| g.0)
        .collect();
    while let Some(g) = todo.pop() {
        if !keep.insert(g) && g != 0 {
            continue;
        }
        let (Some(&start), Some(&end)) = (offsets.get(g as usize), offsets.get(g as usize + 1))
        else {
            continue;
        };
        let Some(data) = glyf.get(start..end) else {
            continue;
        };
        if data.len() < 10 || (u16_at(data, 0).unwrap_or(0) as i16) >= 0 {
            continue;
        }
        // Composite glyph: walk its components.
        let mut p = 10;
        while let (Some(flags), Some(component)) = (u16_at(data, p), u16_at(data, p + 2)) {
            todo.push(component);
            p += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
            p += if flags & 0x0008 != 0 {
                2
            } else if flags & 0x0040 != 0 {
                4
            } else if flags & 0x0080 != 0 {
                8
            } else {
                0
            };
            if flags & 0x0020 == 0 {
                break;
            }
        }
    }
    keep
}

/// The bundled font reduced to the glyphs `text` needs, as TrueType bytes; `None` if the
/// font cannot be read (the page then falls back to the reader's fonts).
pub fn subset_for(text: &str) -> Option<Vec<u8>> {
    let font = FONT_DATA;
    let tables = tables(font)?;
    let find = |tag: &[u8; 4]| tables.iter().find(|t| &t.tag == tag).map(|t| t.data);
    let head = find(b"head")?;
    let glyf = find(b"glyf")?;
    let loca = find(b"loca")?;
    let num_glyphs = u16_at(find(b"maxp")?, 4)? as usize;
    let long = u16_at(head, 50)? == 1;
    let offsets: Vec<usize> = (0..=num_glyphs)
        .map(|i| {
            if long {
                u32_at(loca, 4 * i).map(|v| v as usize)
            } else {
                u16_at(loca, 2 * i).map(|v| 2 * v as usize)
            }
        })
        .collect::<Option<_>>()?;
    let keep = glyphs_for(text, glyf, &offsets);

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (num_glyphs + 1));
    for g in 0..num_glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if keep.contains(&(g as u16)) {
            new_glyf.extend_from_slice(glyf.get(offsets[g]..offsets[g + 1])?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]); // checksumAdjustment, set below
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes()); // long loca
    let mut new_post = find(b"post")?.get(..32)?.to_vec();
    new_post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = tables
        .iter()
        .map(|t| {
            let data = match &t.tag {
                b"glyf" => new_glyf.clone(),
                b"loca" => new_loca.clone(),
                b"head" => new_head.clone(),
                b"post" => new_post.clone(),
                _ => t.data.to_vec(),
            };
            (t.tag, data)
        })
        .collect();
    out_tables.sort_by_key(|t| t.0);

    let n = out_tables.len() as u16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 16u16 << entry_selector;
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * out_tables.len();
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    let mut head_at = 0;
    for (tag, data) in &out_tables {
        if tag == b"head" {
            head_at = out.len();
        }
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out.get_mut(head_at + 8..head_at + 12)?
        .copy_from_slice(&adjustment.to_be_bytes());
    Some(out)
}

/// Standard base64 (RFC 4648) for the data URL.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn subset_is_small_parses_and_keeps_the_needed_glyphs() {
        let sub = subset_for("オブザーバビリティとインシデント対応").expect("subset");
        assert!(sub.len() < 1_000_000, "{} bytes", sub.len());
        let face = ttf_parser::Face::parse(&sub, 0).expect("subset parses");
        let full = ttf_parser::Face::parse(FONT_DATA, 0).unwrap();
        for c in "オブザーバビリティ対応".chars() {
            let g = face.glyph_index(c).expect("cmap kept");
            assert_eq!(
                face.glyph_bounding_box(g),
                full.glyph_bounding_box(full.glyph_index(c).unwrap()),
                "{c}"
            );
        }
        // A glyph the text does not use has no outline left.
        let unused = face.glyph_index('鬱').unwrap();
        assert_eq!(face.glyph_bounding_box(unused), None);
        assert_eq!(
            subset_for("同じ文字"),
            subset_for("同じ文字"),
            "deterministic"
        );
    }
}
