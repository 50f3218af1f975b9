//! Whole-body compression (spec §2.2, §8.1, §8.2): CSV bodies named by `format`
//! (`gzip`, `bzip2`, `lz4` = LZ4 frame, `deflate`, `zstd`) and JSON bodies named by `compression`
//! or `Content-Encoding` (`gzip`, `bzip2`, `lz4_frame`, `zstd`). A body is one compressed stream;
//! it is decompressed once it has arrived completely (concatenated gzip members are read on).

use std::io::Read;

/// A body codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gzip,
    Bzip2,
    Lz4Frame,
    /// zlib-wrapped or raw deflate (detected from the first two bytes).
    Deflate,
    Zstd,
}

impl Codec {
    /// The codec a `format` header names (compressed CSV), `None` for plain formats.
    pub fn from_format(format: &str) -> Option<Codec> {
        match format.to_ascii_lowercase().as_str() {
            "gzip" => Some(Codec::Gzip),
            "bzip2" => Some(Codec::Bzip2),
            "lz4" => Some(Codec::Lz4Frame),
            "deflate" => Some(Codec::Deflate),
            "zstd" => Some(Codec::Zstd),
            _ => None,
        }
    }

    /// The codec a `compression` / `Content-Encoding` header names.
    pub fn from_compression(value: &str) -> Result<Codec, String> {
        match value.to_ascii_lowercase().as_str() {
            "gzip" => Ok(Codec::Gzip),
            "bzip2" => Ok(Codec::Bzip2),
            "lz4_frame" => Ok(Codec::Lz4Frame),
            "zstd" => Ok(Codec::Zstd),
            _ => Err(format!(
                "Unsupported compression type: {value}, supported: gzip, bzip2, lz4_frame, zstd"
            )),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Bzip2 => "bzip2",
            Codec::Lz4Frame => "lz4_frame",
            Codec::Deflate => "deflate",
            Codec::Zstd => "zstd",
        }
    }

    /// Decompresses a whole body.
    pub fn decompress(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(data.len().saturating_mul(4));
        let result = match self {
            Codec::Gzip => flate2::read::MultiGzDecoder::new(data).read_to_end(&mut out),
            Codec::Bzip2 => bzip2::read::MultiBzDecoder::new(data).read_to_end(&mut out),
            Codec::Lz4Frame => lz4_flex::frame::FrameDecoder::new(data).read_to_end(&mut out),
            Codec::Deflate if is_zlib(data) => {
                flate2::read::ZlibDecoder::new(data).read_to_end(&mut out)
            }
            Codec::Deflate => flate2::read::DeflateDecoder::new(data).read_to_end(&mut out),
            Codec::Zstd => {
                zstd::stream::read::Decoder::new(data).and_then(|mut d| d.read_to_end(&mut out))
            }
        };
        result
            .map(|_| out)
            .map_err(|e| format!("Failed to decompress the {} body: {e}", self.name()))
    }
}

/// A zlib header: deflate method with a valid check value.
fn is_zlib(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn round_trips() {
        let text = b"1\ta\n2\tb\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).expect("gzip");
        let gz = gz.finish().expect("gzip");
        assert_eq!(Codec::Gzip.decompress(&gz).expect("gunzip"), text);
        let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
        lz.write_all(&text).expect("lz4");
        let lz = lz.finish().expect("lz4");
        assert_eq!(Codec::Lz4Frame.decompress(&lz).expect("unlz4"), text);
        let zs = zstd::stream::encode_all(&text[..], 3).expect("zstd");
        assert_eq!(Codec::Zstd.decompress(&zs).expect("unzstd"), text);
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        bz.write_all(&text).expect("bzip2");
        let bz = bz.finish().expect("bzip2");
        assert_eq!(Codec::Bzip2.decompress(&bz).expect("bunzip2"), text);
        let mut zl = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zl.write_all(&text).expect("zlib");
        let zl = zl.finish().expect("zlib");
        assert_eq!(Codec::Deflate.decompress(&zl).expect("inflate"), text);
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(&text).expect("deflate");
        let raw = raw.finish().expect("deflate");
        assert_eq!(Codec::Deflate.decompress(&raw).expect("inflate raw"), text);
        assert!(Codec::Gzip.decompress(b"not gzip").is_err());
        assert!(Codec::from_compression("snappy").is_err());
        assert_eq!(Codec::from_format("LZ4"), Some(Codec::Lz4Frame));
    }
}
