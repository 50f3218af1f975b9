//! Whole-body compression of Stream Load requests (`sink.properties.compression`).
//!
//! StarRocks names a compressed CSV body by its `format` header (`lz4` is the LZ4 frame format,
//! `gzip`, `zstd`) and a compressed JSON body by the `compression` header (`lz4_frame`, `gzip`,
//! `zstd`; StarRocks 3.2.7 and later). The whole body is one compressed stream.

use std::io::Write;

use crate::error::{ErrorKind, Result, SinkError};

/// A body codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Lz4Frame,
    Gzip,
    Zstd,
}

/// zstd's default level: a good ratio at several hundred MB/s.
const ZSTD_LEVEL: i32 = 3;

impl Compression {
    /// The codec a `compression` property names (case-insensitive); `name` names the property in
    /// the message.
    pub fn parse(name: &str, value: &str) -> Result<Compression> {
        match value.trim().to_ascii_lowercase().as_str() {
            "lz4_frame" => Ok(Compression::Lz4Frame),
            "gzip" => Ok(Compression::Gzip),
            "zstd" => Ok(Compression::Zstd),
            "bzip2" => Err(SinkError::new(
                ErrorKind::Unsupported,
                format!("{name} = 'bzip2' is not supported: use lz4_frame, gzip or zstd"),
            )),
            other => Err(SinkError::new(
                ErrorKind::Config,
                format!("{name} must be one of lz4_frame, gzip, zstd; got '{other}'"),
            )),
        }
    }

    /// The `compression` header value of a JSON body.
    pub fn header_value(self) -> &'static str {
        match self {
            Compression::Lz4Frame => "lz4_frame",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// The `format` header value of a CSV body compressed with this codec.
    pub fn csv_format(self) -> &'static str {
        match self {
            Compression::Lz4Frame => "lz4",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// Compresses a whole body.
    pub fn compress(self, body: &[u8]) -> Result<Vec<u8>> {
        let failed = |e: std::io::Error| {
            SinkError::new(
                ErrorKind::Internal,
                format!(
                    "{} compression of a {} byte body failed: {e}",
                    self.header_value(),
                    body.len()
                ),
            )
        };
        // Compressed text is usually a quarter to a half of the input.
        let out = Vec::with_capacity(body.len() / 3 + 64);
        match self {
            Compression::Lz4Frame => {
                let mut encoder = lz4_flex::frame::FrameEncoder::new(out);
                encoder.write_all(body).map_err(failed)?;
                encoder
                    .finish()
                    .map_err(|e| failed(std::io::Error::other(e)))
            }
            Compression::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
                encoder.write_all(body).map_err(failed)?;
                encoder.finish().map_err(failed)
            }
            Compression::Zstd => zstd::bulk::compress(body, ZSTD_LEVEL).map_err(failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn sample() -> Vec<u8> {
        (0..20_000)
            .flat_map(|i| format!("{i}\tname-{}\t{}.5\n", i % 97, i * 3).into_bytes())
            .collect()
    }

    #[test]
    fn every_codec_round_trips_and_shrinks_text() {
        let body = sample();
        for codec in [Compression::Lz4Frame, Compression::Gzip, Compression::Zstd] {
            let packed = codec.compress(&body).unwrap();
            assert!(
                packed.len() < body.len(),
                "{codec:?}: {} bytes",
                packed.len()
            );
            let mut unpacked = Vec::new();
            match codec {
                Compression::Lz4Frame => {
                    lz4_flex::frame::FrameDecoder::new(&packed[..])
                        .read_to_end(&mut unpacked)
                        .unwrap();
                }
                Compression::Gzip => {
                    flate2::read::GzDecoder::new(&packed[..])
                        .read_to_end(&mut unpacked)
                        .unwrap();
                }
                Compression::Zstd => unpacked = zstd::stream::decode_all(&packed[..]).unwrap(),
            }
            assert_eq!(unpacked, body, "{codec:?}");
        }
    }

    #[test]
    fn empty_body_still_makes_a_valid_stream() {
        for codec in [Compression::Lz4Frame, Compression::Gzip, Compression::Zstd] {
            assert!(!codec.compress(b"").unwrap().is_empty(), "{codec:?}");
        }
    }

    #[test]
    fn parsing_names_the_property_and_the_choices() {
        assert_eq!(
            Compression::parse("p", " LZ4_FRAME ").unwrap(),
            Compression::Lz4Frame
        );
        assert_eq!(Compression::parse("p", "Gzip").unwrap(), Compression::Gzip);
        let e = Compression::parse("option 'sink.properties.compression'", "snappy").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("'sink.properties.compression'"), "{e}");
        assert!(e.message().contains("lz4_frame, gzip, zstd"), "{e}");
        let e = Compression::parse("p", "bzip2").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
    }
}
