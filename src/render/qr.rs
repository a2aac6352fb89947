//! QR codes for print and chat: the short link of an article encoded with
//! the `qrcode` crate, at error correction level M or higher (a poster in a
//! ward gets scuffed, folded and photographed at an angle), with the
//! standard four-module quiet zone, drawn as an inline SVG of a given
//! printed or on-screen size, or as a greyscale bitmap / PNG for places that
//! refuse SVG (the WeChat editor). The SVG is one `<path>` of horizontal
//! runs with `shape-rendering="crispEdges"`, so it stays sharp at any print
//! resolution and costs a few KB. [`read_svg`] reads such an SVG back into
//! modules, so tests can decode what a page really shows.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::{Color, QrError};
use qrcode::EcLevel;
use thiserror::Error;

pub use super::qr_masks::QrMasks;

/// Modules of light margin around the symbol (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// How much damage the code survives; M (~15 %) is the least we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Correction {
    /// ~15 % of the symbol may be lost.
    #[default]
    Medium,
    /// ~25 %.
    Quartile,
    /// ~30 %.
    High,
}

impl Correction {
    fn level(self) -> EcLevel {
        match self {
            Correction::Medium => EcLevel::M,
            Correction::Quartile => EcLevel::Q,
            Correction::High => EcLevel::H,
        }
    }
}

/// The printed or displayed edge length of the whole code, quiet zone
/// included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QrSize {
    /// For print: `Millimetres(40.0)` is 4 cm on paper.
    Millimetres(f32),
    /// For screens.
    Pixels(u32),
}

impl QrSize {
    /// The CSS length (`40mm`, `160px`).
    pub fn css(self) -> String {
        match self {
            QrSize::Millimetres(mm) => format!("{}mm", trim_float(mm)),
            QrSize::Pixels(px) => format!("{px}px"),
        }
    }
}

fn trim_float(x: f32) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum QrCodeError {
    #[error("the text is too long for a QR code ({0} bytes)")]
    TooLong(usize),
    #[error("cannot encode the QR code: {0}")]
    Encode(String),
}

/// The modules of one QR code, quiet zone included: `width` x `width`,
/// row by row, `true` for dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` (a URL) at `correction` with the quiet zone.
    pub fn encode(text: &str, correction: Correction) -> Result<QrMatrix, QrCodeError> {
        QrMatrix::encode_with(text, correction, &QrMasks::none())
    }

    /// [`QrMatrix::encode`], taking the mask from `masks` when it knows the
    /// symbol (and remembering the choice there when not): the same
    /// symbol, drawn once instead of eight times.
    pub fn encode_with(
        text: &str,
        correction: Correction,
        masks: &QrMasks,
    ) -> Result<QrMatrix, QrCodeError> {
        let failed = |e: QrError| match e {
            QrError::DataTooLong => QrCodeError::TooLong(text.len()),
            other => QrCodeError::Encode(other.to_string()),
        };
        let level = correction.level();
        let bits = qrcode::bits::encode_auto(text.as_bytes(), level).map_err(failed)?;
        let version = bits.version();
        let (data, ec) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).map_err(failed)?;
        let mut canvas = Canvas::new(version, level);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        let inner = version.width() as usize;
        let key = masks.key(text, correction as u8);
        let modules = match masks.get(&key) {
            Some(known) => {
                canvas.apply_mask(MASKS[usize::from(known)]);
                dark_modules(canvas)
            }
            None => {
                let (mask, modules) = best_mask(&canvas, inner);
                if let Some(mask) = mask {
                    masks.record(key, mask);
                }
                modules
            }
        };
        let width = inner + 2 * QUIET_ZONE;
        let mut dark = vec![false; width * width];
        for (i, &module) in modules.iter().enumerate() {
            let (x, y) = (i % inner + QUIET_ZONE, i / inner + QUIET_ZONE);
            dark[y * width + x] = module;
        }
        Ok(QrMatrix { width, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// An inline `<svg>` element of edge `size`, labelled `label` for
    /// screen readers (e.g. the URL it encodes). Deterministic: the same
    /// input gives the same bytes.
    pub fn to_svg(&self, size: QrSize, label: &str) -> String {
        let w = self.width;
        let mut path = String::new();
        for y in 0..w {
            let mut x = 0;
            while x < w {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < w && self.is_dark(x, y) {
                    x += 1;
                }
                path.push('M');
                push_number(&mut path, start);
                path.push(' ');
                push_number(&mut path, y);
                path.push('h');
                push_number(&mut path, x - start);
                path.push_str("v1H");
                push_number(&mut path, start);
                path.push('z');
            }
        }
        let size = size.css();
        let label = escape(label);
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {w} {w}" width="{size}" height="{size}" "#,
                r#"shape-rendering="crispEdges" role="img" aria-label="{label}">"#,
                r##"<rect width="{w}" height="{w}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
            ),
            w = w,
            size = size,
            label = label,
            path = path
        )
    }

    /// A greyscale bitmap, `module_px` pixels per module (0 dark, 255 light).
    pub fn to_luma(&self, module_px: u32) -> image::GrayImage {
        let scale = module_px.max(1) as usize;
        let edge = self.width * scale;
        // One pixel row per module row, repeated `scale` times.
        let mut pixels = Vec::with_capacity(edge * edge);
        for y in 0..self.width {
            let start = pixels.len();
            for x in 0..self.width {
                let shade = if self.is_dark(x, y) { 0 } else { 255 };
                pixels.extend(std::iter::repeat_n(shade, scale));
            }
            for _ in 1..scale {
                pixels.extend_from_within(start..start + edge);
            }
        }
        image::GrayImage::from_raw(edge as u32, edge as u32, pixels).expect("edge x edge pixels")
    }

    /// The bitmap of [`QrMatrix::to_luma`] as PNG bytes.
    pub fn to_png(&self, module_px: u32) -> Result<Vec<u8>, QrCodeError> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        self.to_luma(module_px)
            .write_to(&mut bytes, image::ImageFormat::Png)
            .map_err(|e| QrCodeError::Encode(e.to_string()))?;
        Ok(bytes.into_inner())
    }
}

/// The eight mask patterns, in the order the `qrcode` crate tries them.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The symbol (row by row, `true` for dark) under the mask with the lowest
/// ISO/IEC 18004 penalty, ties going to the first: the choice
/// `qrcode::Canvas::apply_best_mask` makes, scored on bit sets. The
/// crate's scoring boxes a closure per module and took a fifth of a 10k
/// build (two codes per article); this gives the same symbol, bit for bit
/// (see the test against the crate). Symbols wider than [`penalty_bits`]
/// handles (version 27 and up, over a kilobyte of text) are left to the
/// crate.
fn best_mask(canvas: &Canvas, width: usize) -> (Option<u8>, Vec<bool>) {
    if width > 120 {
        return (None, dark_modules(canvas.apply_best_mask()));
    }
    let mut best: Option<(i64, u8, Vec<bool>)> = None;
    for (number, mask) in (0u8..).zip(MASKS) {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let modules = dark_modules(masked);
        let score = penalty_bits(&modules, width);
        if best.as_ref().is_none_or(|(b, _, _)| score < *b) {
            best = Some((score, number, modules));
        }
    }
    best.map(|(_, n, m)| (Some(n), m)).unwrap_or_default()
}

/// The modules of a masked canvas, row by row, `true` for dark.
fn dark_modules(canvas: Canvas) -> Vec<bool> {
    let colors = canvas.into_colors();
    colors.into_iter().map(|c| c == Color::Dark).collect()
}

/// The penalty of a masked symbol, rule for rule as the `qrcode` crate
/// computes it: runs of five or more (N1), 2x2 blocks (N2), finder-like
/// 1:1:3:1:1 runs without four light modules on one side (N3, less the
/// nine matches the real finder patterns make in each direction) and the
/// dark/light balance (N4). Rows and columns as bit sets (bit k = module k, dark
/// set), for symbols up to 120 modules wide (version 26; a URL needs
/// version 6 or so): runs, finder-like patterns and blocks are counted
/// with shifts and popcounts instead of module by module.
fn penalty_bits(dark: &[bool], w: usize) -> i64 {
    let mut rows = vec![0u128; w];
    let mut cols = vec![0u128; w];
    for y in 0..w {
        for x in 0..w {
            if dark[y * w + x] {
                rows[y] |= 1 << x;
                cols[x] |= 1 << y;
            }
        }
    }
    let full: u128 = (1 << w) - 1;
    let below = |n: usize| -> u128 { (1u128 << n) - 1 };
    let mut score = 0i64;
    for line in rows.iter().chain(&cols) {
        let r = *line;
        // N1: bit k = modules k..k+4 alike; a run of L >= 5 has L - 4 such
        // windows and one start, and costs L - 2.
        let alike = !(r ^ (r >> 1)) & below(w - 1);
        let five = alike & (alike >> 1) & (alike >> 2) & (alike >> 3);
        score += i64::from(five.count_ones() + 2 * (five & !(five << 1)).count_ones());
        // N3: 1:1:3:1:1 at j, with four light modules (or the edge) before
        // or after it.
        let l = !r & full;
        let finder = r & (l >> 1) & (r >> 2) & (r >> 3) & (r >> 4) & (l >> 5) & (r >> 6);
        let finder = finder & below(w.saturating_sub(6));
        let padded = (l << 4) | 0b1111;
        let light_before = padded & (padded >> 1) & (padded >> 2) & (padded >> 3);
        let past = l | !full;
        let light_after = (past >> 7) & (past >> 8) & (past >> 9) & (past >> 10);
        score += 40 * i64::from((finder & (light_before | light_after)).count_ones());
    }
    score -= 360;
    // N2
    for pair in rows.windows(2) {
        let (r, n) = (pair[0], pair[1]);
        let blocks = !(r ^ n) & !(r ^ (r >> 1)) & !(n ^ (n >> 1)) & below(w - 1);
        score += 3 * i64::from(blocks.count_ones());
    }
    // N4
    let ratio = rows.iter().map(|r| r.count_ones() as usize).sum::<usize>() * 200 / (w * w);
    score + ratio.abs_diff(100) as i64
}

/// `text` as a PNG QR code at level M, `module_px` pixels per module: for
/// places that cannot show SVG (the 公众号 editor re-hosts pasted images
/// and takes PNG, JPEG, GIF or BMP only).
pub fn png(text: &str, module_px: u32, masks: &QrMasks) -> Result<Vec<u8>, QrCodeError> {
    QrMatrix::encode_with(text, Correction::Medium, masks)?.to_png(module_px)
}

/// `text` as an inline SVG QR code of edge `size` at level M: the one call
/// posters and the WeChat view make.
pub fn svg(text: &str, size: QrSize, masks: &QrMasks) -> Result<String, QrCodeError> {
    Ok(QrMatrix::encode_with(text, Correction::Medium, masks)?.to_svg(size, text))
}

/// Reads back an SVG written by [`QrMatrix::to_svg`] (its `viewBox` and the
/// runs of its path), or `None` if it is not one. For tests and tools that
/// decode what a page shows.
pub fn read_svg(svg: &str) -> Option<QrMatrix> {
    let view_box = svg.split("viewBox=\"0 0 ").nth(1)?;
    let width: usize = view_box.split(' ').next()?.parse().ok()?;
    let path = svg.split("<path").nth(1)?.split(" d=\"").nth(1)?;
    let path = &path[..path.find('"')?];
    let mut dark = vec![false; width.checked_mul(width)?];
    for run in path.split('M').filter(|r| !r.is_empty()) {
        // `{x} {y}h{len}v1H{x}z`
        let (x, rest) = run.split_once(' ')?;
        let (y, rest) = rest.split_once('h')?;
        let (len, _) = rest.split_once('v')?;
        let (x, y, len): (usize, usize, usize) =
            (x.parse().ok()?, y.parse().ok()?, len.parse().ok()?);
        if y >= width || x + len > width {
            return None;
        }
        dark[y * width + x..y * width + x + len].fill(true);
    }
    Some(QrMatrix { width, dark })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `n` in decimal (itoa, which serde_json already brings in:
/// `write!` per run was most of `to_svg`'s time over 10,000 posters).
fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 176, 12345, usize::MAX] {
            let mut out = String::from("x");
            push_number(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    /// The penalty counted module by module, as the crate's rules read:
    /// the oracle for [`penalty_bits`].
    fn penalty(dark: &[bool], w: usize) -> i64 {
        let transposed: Vec<bool> = (0..w * w).map(|i| dark[(i % w) * w + i / w]).collect();
        let mut score = 0i64;
        for grid in [dark, &transposed[..]] {
            for line in grid.chunks_exact(w) {
                score += i64::from(line_penalty(line));
            }
        }
        score -= 360;
        // N2
        for y in 0..w - 1 {
            let (row, next) = (&dark[y * w..(y + 1) * w], &dark[(y + 1) * w..(y + 2) * w]);
            for x in 0..w - 1 {
                let c = row[x];
                if row[x + 1] == c && next[x] == c && next[x + 1] == c {
                    score += 3;
                }
            }
        }
        // N4
        let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len();
        score + ratio.abs_diff(100) as i64
    }

    /// N1 and N3 of one row or column.
    fn line_penalty(line: &[bool]) -> u32 {
        let mut score = 0;
        let mut run = 1u32;
        for k in 1..line.len() {
            if line[k] == line[k - 1] {
                run += 1;
            } else {
                if run >= 5 {
                    score += run - 2;
                }
                run = 1;
            }
        }
        if run >= 5 {
            score += run - 2;
        }
        let w = line.len();
        for j in 0..w.saturating_sub(6) {
            if line[j]
                && !line[j + 1]
                && line[j + 2]
                && line[j + 3]
                && line[j + 4]
                && !line[j + 5]
                && line[j + 6]
            {
                let before = line[j.saturating_sub(4)..j].contains(&true);
                let after = line[j + 7..(j + 11).min(w)].contains(&true);
                if !before || !after {
                    score += 40;
                }
            }
        }
        score
    }

    #[test]
    fn both_penalty_counts_agree_on_any_symbol() {
        // A fixed pseudo-random sequence (xorshift), so the test is the
        // same on every run; and the all-light and all-dark extremes.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for w in [21, 25, 33, 41, 57, 77, 101, 117] {
            for density in [2, 3, 5] {
                let dark: Vec<bool> = (0..w * w).map(|_| next() % density == 0).collect();
                assert_eq!(penalty_bits(&dark, w), penalty(&dark, w), "w {w}");
            }
            for shade in [false, true] {
                let flat = vec![shade; w * w];
                assert_eq!(penalty_bits(&flat, w), penalty(&flat, w));
            }
        }
    }

    #[test]
    fn the_symbol_is_the_one_the_qrcode_crate_draws() {
        for text in [
            "https://hospital.example/s/flu/?utm_medium=poster&utm_source=flu",
            "https://hospital.example/articles/a00001/",
            "x",
            &"https://例子.example/文章/".repeat(12),
            // Wider than the bit sets take: the crate chooses the mask.
            &"https://hospital.example/a".repeat(60),
        ] {
            let ours = QrMatrix::encode(text, Correction::Medium).unwrap();
            let code =
                qrcode::QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
            let inner = code.width();
            assert_eq!(ours.width, inner + 2 * QUIET_ZONE);
            for (i, color) in code.to_colors().into_iter().enumerate() {
                let (x, y) = (i % inner + QUIET_ZONE, i / inner + QUIET_ZONE);
                assert_eq!(
                    ours.is_dark(x, y),
                    color == Color::Dark,
                    "{text}: module {x},{y}"
                );
            }
        }
    }

    /// Decodes `matrix` with an independent decoder (rqrr), drawn at 4 px
    /// per module the way a camera would see a printed code.
    fn decode(matrix: &QrMatrix) -> (String, usize) {
        let img = matrix.to_luma(4);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            img.width() as usize,
            img.height() as usize,
            |x, y| img.get_pixel(x as u32, y as u32).0[0],
        );
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code expected");
        let (meta, content) = grids[0].decode().expect("decodes");
        (content, meta.ecc_level as usize)
    }

    const URL: &str =
        "https://health.example.org/s/k3x9qd/?utm_medium=poster&utm_source=k3x9qd&utm_campaign=ward";

    #[test]
    fn svg_decodes_back_to_the_url_at_level_m_with_a_quiet_zone() {
        let svg = svg(URL, QrSize::Millimetres(40.0), &QrMasks::none()).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(r#"width="40mm" height="40mm""#), "{svg}");
        assert!(
            svg.contains("utm_medium=poster&amp;utm_source"),
            "label escaped"
        );
        let matrix = read_svg(&svg).expect("reads its own SVG");
        assert_eq!(matrix, QrMatrix::encode(URL, Correction::Medium).unwrap());
        let (content, ecc) = decode(&matrix);
        assert_eq!(content, URL);
        // rqrr numbers levels as the format bits do: M is 0, L 1, H 2, Q 3.
        assert_eq!(ecc, 0, "level M");
        // Quiet zone: the four outer rings of modules are light.
        let w = matrix.width;
        for i in 0..w {
            for ring in 0..QUIET_ZONE {
                assert!(!matrix.is_dark(i, ring) && !matrix.is_dark(i, w - 1 - ring));
                assert!(!matrix.is_dark(ring, i) && !matrix.is_dark(w - 1 - ring, i));
            }
        }
        // The finder pattern starts right inside the quiet zone.
        assert!(matrix.is_dark(QUIET_ZONE, QUIET_ZONE));
    }

    #[test]
    fn higher_levels_and_pixels_and_png() {
        let m = QrMatrix::encode("https://h.org/s/a/", Correction::High).unwrap();
        assert_eq!(decode(&m), ("https://h.org/s/a/".to_string(), 2));
        let q = QrMatrix::encode("https://h.org/s/a/", Correction::Quartile).unwrap();
        assert_eq!(decode(&q).1, 3);
        let svg = m.to_svg(QrSize::Pixels(160), "x");
        assert!(svg.contains(r#"width="160px""#));
        let png = m.to_png(3).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(img.width() as usize, m.width * 3);
        assert_eq!(QrSize::Millimetres(32.5).css(), "32.5mm");
    }

    #[test]
    fn deterministic_and_refuses_what_does_not_fit() {
        assert_eq!(
            svg(URL, QrSize::Millimetres(40.0), &QrMasks::none()),
            svg(URL, QrSize::Millimetres(40.0), &QrMasks::none())
        );
        let long = "x".repeat(5000);
        assert_eq!(
            QrMatrix::encode(&long, Correction::Medium),
            Err(QrCodeError::TooLong(5000))
        );
        assert_eq!(read_svg("<svg></svg>"), None);
        assert_eq!(
            read_svg(r#"<svg viewBox="0 0 3 3"><path d="M2 0h5v1H2z"/></svg>"#),
            None
        );
    }

    #[test]
    fn a_remembered_mask_draws_the_same_symbol() {
        let dir = tempfile::tempdir().unwrap();
        for text in [URL, "https://h.org/s/a/", "短链接 https://h.org/s/好/"] {
            let fresh = QrMatrix::encode(text, Correction::Medium).unwrap();
            let first = QrMasks::open(dir.path());
            let chosen = QrMatrix::encode_with(text, Correction::Medium, &first).unwrap();
            first.save();
            let known = QrMasks::open(dir.path());
            let key = known.key(text, Correction::Medium as u8);
            assert!(known.get(&key).is_some(), "the choice was kept");
            let again = QrMatrix::encode_with(text, Correction::Medium, &known).unwrap();
            assert_eq!((chosen.width, &chosen.dark), (fresh.width, &fresh.dark));
            assert_eq!((again.width, &again.dark), (fresh.width, &fresh.dark));
        }
    }

    #[test]
    fn the_png_decodes_to_the_text() {
        let url = "https://health.example.org/articles/winter-heart-health/";
        let bytes = png(url, 4, &QrMasks::none()).unwrap();
        let image = image::load_from_memory(&bytes).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
    }

    #[test]
    fn the_same_text_gives_the_same_png_bytes() {
        assert_eq!(
            png("https://a.org/x/", 4, &QrMasks::none()).unwrap(),
            png("https://a.org/x/", 4, &QrMasks::none()).unwrap()
        );
        assert_ne!(
            png("https://a.org/x/", 4, &QrMasks::none()).unwrap(),
            png("https://a.org/y/", 4, &QrMasks::none()).unwrap()
        );
    }

    #[test]
    fn too_long_text_for_a_png_is_an_error_not_a_panic() {
        assert!(png(&"x".repeat(5000), 4, &QrMasks::none()).is_err());
    }
}
