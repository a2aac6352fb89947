//! Local files an article embeds or links to (page bundles): images next
//! to the `.md` file or in its subfolders, captions, videos, downloads.
//!
//! Every file is published under the article's URL with a content-hashed
//! name (`chart.3f2a9c1b7e.png`), so a browser or CDN cache can never show
//! an old image under a new text. Raster images also get narrower variants
//! (`chart.3f2a9c1b7e.480.png`) for `srcset`; the names depend only on the
//! source bytes and the configured widths, so Markdown rendering can write
//! the `<img>` from a cheap [`probe`] (hash and header) while
//! [`variants`] does the costly decoding and encoding, once per source and
//! width: encoded variants are kept in `.healthpress-cache/images/` beside
//! the output and reused while the source is unchanged.
//!
//! Variants are written in the source's format (JPEG quality 82, PNG with
//! adaptive filtering). WebP is not produced: the pure-Rust encoder is
//! lossless only, which makes photographs larger than the JPEG. GIF and
//! WebP sources are published as they are (resizing would lose animation).
//! SVG is refused: opened on its own it may run script on the site's origin.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader};
use sha2::{Digest, Sha256};

use crate::config::content::ImageLimits;

/// Version of the variant encoder settings; part of every cache key, so
/// changing quality or filter never reuses old encodings.
const ENCODER_VERSION: &str = "v1-q82-catmullrom";

/// What kind of local file a path names, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Raster(RasterFormat),
    Svg,
    Video,
    Captions,
    /// Documents and other downloads (PDF, Office, archives, data).
    Download,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RasterFormat {
    Png,
    Jpeg,
    Gif,
    WebP,
}

impl RasterFormat {
    /// Whether narrower variants are made (not for GIF and WebP).
    pub fn resizable(self) -> bool {
        matches!(self, RasterFormat::Png | RasterFormat::Jpeg)
    }

    fn image_format(self) -> ImageFormat {
        match self {
            RasterFormat::Png => ImageFormat::Png,
            RasterFormat::Jpeg => ImageFormat::Jpeg,
            RasterFormat::Gif => ImageFormat::Gif,
            RasterFormat::WebP => ImageFormat::WebP,
        }
    }
}

/// The kind of `name` by extension, or `None` for a name that is not a
/// local file healthpress publishes (no or unknown extension).
pub fn kind_of(name: &str) -> Option<FileKind> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => FileKind::Raster(RasterFormat::Png),
        "jpg" | "jpeg" => FileKind::Raster(RasterFormat::Jpeg),
        "gif" => FileKind::Raster(RasterFormat::Gif),
        "webp" => FileKind::Raster(RasterFormat::WebP),
        "svg" => FileKind::Svg,
        "mp4" | "webm" | "m4v" => FileKind::Video,
        "vtt" => FileKind::Captions,
        "pdf" | "doc" | "docx" | "xls" | "xlsx" | "ppt" | "pptx" | "csv" | "txt" | "zip"
        | "mp3" | "m4a" | "ics" => FileKind::Download,
        _ => return None,
    })
}

/// A local file as read once: its hash and, for raster images, its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// First 10 hex digits of the SHA-256 of the bytes: the name's hash.
    pub hash: String,
    /// Full hex SHA-256, the cache key of its variants.
    pub sha256: String,
    pub bytes: u64,
    pub kind: FileKind,
    /// Pixel size of a raster image.
    pub size: Option<(u32, u32)>,
}

/// Why a local file cannot be published; shown at the line that embeds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub message: String,
    pub hint: String,
}

fn problem(message: String, hint: &str) -> FileProblem {
    FileProblem {
        message,
        hint: hint.to_string(),
    }
}

/// Reads `path` (shown as `shown`), hashes it and checks it against
/// `limits`. Raster images have only their header decoded here.
pub fn probe(path: &Path, shown: &str, limits: &ImageLimits) -> Result<Probe, FileProblem> {
    let kind = kind_of(shown).ok_or_else(|| {
        problem(
            format!("`{shown}` is not a kind of file healthpress publishes"),
            "images (png, jpg, gif, webp), videos (mp4, webm), captions (vtt) and documents (pdf, docx, xlsx, csv ...) are published",
        )
    })?;
    if kind == FileKind::Svg {
        return Err(problem(
            format!("`{shown}` is an SVG image, which is not published"),
            "an SVG file opened on its own can run script on the site; export it as PNG",
        ));
    }
    let meta = fs::symlink_metadata(path).map_err(|_| {
        problem(
            format!("`{shown}` does not exist"),
            "check the file name (it is case-sensitive) and that the file is committed next to the article",
        )
    })?;
    if meta.file_type().is_symlink() || !meta.is_file() {
        return Err(problem(
            format!("`{shown}` is not a regular file"),
            "copy the file next to the article instead of linking to it",
        ));
    }
    let limit = if matches!(kind, FileKind::Video) {
        limits.max_bytes.saturating_mul(8)
    } else {
        limits.max_bytes
    };
    if meta.len() > limit {
        return Err(problem(
            format!(
                "`{shown}` is {} KB, over the limit of {} KB",
                meta.len() / 1024,
                limit / 1024
            ),
            "make the file smaller (resize or compress it), or raise `content: images: max_bytes:` in site.yaml",
        ));
    }
    let bytes = fs::read(path).map_err(|e| {
        problem(
            format!("`{shown}` cannot be read: {e}"),
            "check the file's permissions",
        )
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let size = match kind {
        FileKind::Raster(format) => Some(raster_size(&bytes, format, shown, limits)?),
        _ => None,
    };
    Ok(Probe {
        hash: sha256[..10].to_string(),
        sha256,
        bytes: meta.len(),
        kind,
        size,
    })
}

fn raster_size(
    bytes: &[u8],
    format: RasterFormat,
    shown: &str,
    limits: &ImageLimits,
) -> Result<(u32, u32), FileProblem> {
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format.image_format());
    let (w, h) = reader.into_dimensions().map_err(|e| {
        problem(
            format!("`{shown}` is not a readable {format:?} image: {e}"),
            "open the file in an image editor and save it again (the extension must match the format)",
        )
    })?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels {
        return Err(problem(
            format!(
                "`{shown}` is {w} x {h} pixels ({:.1} megapixels), over the limit of {:.1} megapixels",
                pixels as f64 / 1e6,
                limits.max_pixels as f64 / 1e6
            ),
            "resize the image (2000 pixels wide is plenty for a page), or raise `content: images: max_pixels:` in site.yaml",
        ));
    }
    if w == 0 || h == 0 {
        return Err(problem(
            format!("`{shown}` has no pixels"),
            "save the image again",
        ));
    }
    Ok((w, h))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The ASCII stem of a published name: `补液 图.png` -> `bu-ye-tu`.
pub fn stem_of(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let mut out = String::new();
    let mut dash = false;
    for c in deunicode::deunicode(stem).chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
        if out.len() >= 48 {
            break;
        }
    }
    if out.is_empty() {
        out.push_str("file");
    }
    out
}

pub fn extension_of(name: &str) -> String {
    name.rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_ascii_lowercase())
}

/// One published file of a source: its name under the article's folder
/// and, for an image variant, its pixel size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub name: String,
    /// `None` for the source itself (published byte for byte).
    pub width: Option<u32>,
    pub height: u32,
}

/// Every file published for the source `name` (as written in the
/// article): the source itself (`stem.hash.ext`), then for a resizable
/// image one variant per configured width below its own, narrowest first.
pub fn outputs(name: &str, probe: &Probe, widths: &[u32]) -> Vec<Output> {
    let stem = stem_of(name);
    let ext = extension_of(name);
    let mut out = vec![Output {
        name: format!("{stem}.{}.{ext}", probe.hash),
        width: None,
        height: probe.size.map_or(0, |s| s.1),
    }];
    if let (FileKind::Raster(format), Some((w, h))) = (probe.kind, probe.size) {
        if format.resizable() {
            let mut ws: Vec<u32> = widths.iter().copied().filter(|&v| v < w).collect();
            ws.sort_unstable();
            ws.dedup();
            for v in ws {
                let vh = ((u64::from(h) * u64::from(v) + u64::from(w) / 2) / u64::from(w)).max(1);
                out.push(Output {
                    name: format!("{stem}.{}.{v}.{ext}", probe.hash),
                    width: Some(v),
                    height: vh as u32,
                });
            }
        }
    }
    out
}

/// The folder beside an output folder where encoded variants are kept.
pub fn cache_dir(output_dir: &Path) -> PathBuf {
    let parent = output_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(".healthpress-cache").join("images")
}

/// Counts of one build's variant work, for the build summary and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct VariantStats {
    pub encoded: usize,
    pub reused: usize,
}

/// The bytes of every file in `outputs` for the source at `path`: the
/// source itself, then each variant, from `cache` when it holds one for
/// these bytes and settings, else decoded, resized and encoded now (and
/// put in the cache). A cache that cannot be written only costs speed.
pub fn variants(
    path: &Path,
    probe: &Probe,
    outputs: &[Output],
    cache: &Path,
    stats: &mut VariantStats,
) -> Result<Vec<Vec<u8>>, String> {
    let source = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut files = vec![source];
    let mut decoded: Option<image::DynamicImage> = None;
    let FileKind::Raster(format) = probe.kind else {
        return Ok(files);
    };
    for output in outputs.iter().skip(1) {
        let Some(width) = output.width else { continue };
        let ext = extension_of(&output.name);
        let key = format!(
            "{}-{width}x{}-{ENCODER_VERSION}.{ext}",
            probe.sha256, output.height
        );
        let cached = cache.join(&key);
        if let Ok(bytes) = fs::read(&cached) {
            stats.reused += 1;
            files.push(bytes);
            continue;
        }
        if decoded.is_none() {
            let mut reader = ImageReader::new(Cursor::new(&files[0]));
            reader.set_format(format.image_format());
            decoded = Some(reader.decode().map_err(|e| format!("cannot decode: {e}"))?);
        }
        let image = decoded.as_ref().expect("decoded above");
        let resized = image.resize_exact(
            width,
            output.height,
            image::imageops::FilterType::CatmullRom,
        );
        let bytes = encode(&resized, format)?;
        stats.encoded += 1;
        if fs::create_dir_all(cache).is_ok() {
            write_cache_ignore(cache);
            crate::output::cache_file::replace_quietly(&cached, &bytes);
        }
        files.push(bytes);
    }
    Ok(files)
}

fn write_cache_ignore(cache: &Path) {
    if let Some(parent) = cache.parent() {
        let ignore = parent.join(".gitignore");
        if !ignore.exists() {
            let _ = fs::write(ignore, "*\n");
        }
    }
}

fn encode(image: &image::DynamicImage, format: RasterFormat) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        RasterFormat::Jpeg => {
            let rgb = image.to_rgb8();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
            rgb.write_with_encoder(encoder)
                .map_err(|e| format!("cannot encode JPEG: {e}"))?;
        }
        _ => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            image
                .write_with_encoder(encoder)
                .map_err(|e| format!("cannot encode PNG: {e}"))?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn names_are_ascii_and_hashed_and_variants_only_narrower() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("补液.png");
        fs::write(&path, png(600, 300)).unwrap();
        let limits = ImageLimits::default();
        let p = probe(&path, "补液.png", &limits).unwrap();
        assert_eq!(p.size, Some((600, 300)));
        let outs = outputs("img/补液.png", &p, &[480, 960, 480]);
        assert_eq!(outs.len(), 2);
        assert_eq!(outs[0].name, format!("bu-ye.{}.png", p.hash));
        assert_eq!(outs[1].name, format!("bu-ye.{}.480.png", p.hash));
        assert_eq!((outs[1].width, outs[1].height), (Some(480), 240));

        let cache = dir.path().join("cache");
        let mut stats = VariantStats::default();
        let files = variants(&path, &p, &outs, &cache, &mut stats).unwrap();
        assert_eq!(
            stats,
            VariantStats {
                encoded: 1,
                reused: 0
            }
        );
        let small = image::load_from_memory(&files[1]).unwrap();
        assert_eq!((small.width(), small.height()), (480, 240));
        let again = variants(&path, &p, &outs, &cache, &mut stats).unwrap();
        assert_eq!(
            stats,
            VariantStats {
                encoded: 1,
                reused: 1
            }
        );
        assert_eq!(files, again);
    }

    #[test]
    fn limits_and_bad_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        fs::write(&path, png(100, 100)).unwrap();
        let tight = ImageLimits {
            max_pixels: 5000,
            ..ImageLimits::default()
        };
        let e = probe(&path, "a.png", &tight).unwrap_err();
        assert!(e.message.contains("100 x 100 pixels"), "{e:?}");
        assert!(e.hint.contains("max_pixels"));
        let small = ImageLimits {
            max_bytes: 10,
            ..ImageLimits::default()
        };
        assert!(probe(&path, "a.png", &small)
            .unwrap_err()
            .hint
            .contains("max_bytes"));
        fs::write(dir.path().join("b.jpg"), b"not a jpeg").unwrap();
        let e = probe(&dir.path().join("b.jpg"), "b.jpg", &ImageLimits::default()).unwrap_err();
        assert!(e.message.contains("not a readable"), "{e:?}");
        let e = probe(&dir.path().join("c.png"), "c.png", &ImageLimits::default()).unwrap_err();
        assert!(e.message.contains("does not exist"));
        assert!(kind_of("x.SVG") == Some(FileKind::Svg));
        assert!(kind_of("foo):").is_none());
    }
}
