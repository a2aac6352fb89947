//! QR codes as PNG images: the picture a 公众号 post (and anything else
//! that needs a raster QR) shows for an article's link. The 公众号 editor
//! re-hosts pasted images from their URL and takes PNG, JPEG, GIF or BMP,
//! not SVG, so the code is drawn as a 1-bit-looking grayscale PNG with the
//! quiet zone the standard asks for. Medium error correction survives the
//! editor's re-compression.

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, EcLevel, QrCode};

/// Pixels per module: a version-3 code (a typical article URL) is then
/// 29 modules + 8 of quiet zone = 148 px, sharp when shown at 120-160 px.
pub const MODULE_PX: u32 = 4;
/// Modules of white border on each side (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: u32 = 4;

/// A PNG of the QR code of `text`. Fails only for text too long for any
/// QR version (about 2,300 bytes at this error correction).
pub fn png(text: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot encode a QR code of {} bytes: {e}", text.len()))?;
    let width = code.width() as u32;
    let colors = code.to_colors();
    let size = (width + 2 * QUIET_ZONE) * MODULE_PX;
    let image = GrayImage::from_fn(size, size, |x, y| {
        let (mx, my) = (x / MODULE_PX, y / MODULE_PX);
        let dark = mx >= QUIET_ZONE
            && my >= QUIET_ZONE
            && mx < QUIET_ZONE + width
            && my < QUIET_ZONE + width
            && colors[((my - QUIET_ZONE) * width + (mx - QUIET_ZONE)) as usize] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Png)
        .map_err(|e| format!("cannot encode the QR code as PNG: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_decodes_to_the_text() {
        let url = "https://health.example.org/articles/winter-heart-health/";
        let bytes = png(url).unwrap();
        let image = image::load_from_memory(&bytes).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
    }

    #[test]
    fn the_same_text_gives_the_same_bytes() {
        assert_eq!(
            png("https://a.org/x/").unwrap(),
            png("https://a.org/x/").unwrap()
        );
        assert_ne!(
            png("https://a.org/x/").unwrap(),
            png("https://a.org/y/").unwrap()
        );
    }

    #[test]
    fn too_long_text_is_an_error_not_a_panic() {
        assert!(png(&"x".repeat(5000)).is_err());
    }
}
