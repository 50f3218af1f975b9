//! The row-frame decoder on arbitrary, valid and mutated buffers: it returns frames or a clean
//! error, never panics, reads nothing out of bounds, stops after the first error, and decodes
//! valid frames to exactly what was written.

use proptest::collection::vec;
use proptest::prelude::*;

use super::model::{frame, scalar, write_all, Model, ModelFrame};
use crate::encode::frame::{FrameReader, MAX_DEPTH};
use crate::error::ErrorKind;

/// Decodes a whole buffer as the writer does: frames until the end or the first error (after
/// which the reader must end). Nested values are read back, which re-reads their bytes.
fn decode(buf: &[u8]) -> (Vec<ModelFrame>, Option<String>) {
    let mut reader = FrameReader::new(buf);
    let mut frames = Vec::new();
    while let Some(next) = reader.next() {
        match next {
            Ok(f) => frames.push(ModelFrame::of(&f)),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidData, "{e}");
                assert!(
                    e.message()
                        .starts_with(&format!("malformed row frame #{} at byte ", frames.len())),
                    "{e}"
                );
                assert!(reader.next().is_none(), "the reader goes on after an error");
                return (frames, Some(e.message().to_string()));
            }
        }
        // Every frame takes at least 7 bytes: the count is bounded by the buffer.
        assert!(frames.len() * 7 <= buf.len());
    }
    (frames, None)
}

/// How a valid buffer is damaged.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(prop::sample::Index),
    Flip(prop::sample::Index, u8),
    Set(prop::sample::Index, u8),
    /// Four bytes at an index set to a large little-endian length or count.
    Huge(prop::sample::Index, u32),
    Insert(prop::sample::Index, Vec<u8>),
    Remove(prop::sample::Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = any::<prop::sample::Index>;
    prop_oneof![
        index().prop_map(Mutation::Truncate),
        (index(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        (index(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (
            index(),
            prop_oneof![Just(u32::MAX), Just(0x8000_0000), Just(0xFFFF), 1u32..1000]
        )
            .prop_map(|(i, n)| Mutation::Huge(i, n)),
        (index(), vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (index(), 1usize..8).prop_map(|(i, n)| Mutation::Remove(i, n)),
    ]
}

fn mutate(buf: &mut Vec<u8>, m: &Mutation) {
    let len = buf.len();
    if len == 0 {
        return;
    }
    match m {
        Mutation::Truncate(i) => buf.truncate(i.index(len)),
        Mutation::Flip(i, x) => buf[i.index(len)] ^= x,
        Mutation::Set(i, b) => buf[i.index(len)] = *b,
        Mutation::Huge(i, n) => {
            let at = i.index(buf.len());
            for (k, b) in n.to_le_bytes().iter().enumerate() {
                if let Some(slot) = buf.get_mut(at + k) {
                    *slot = *b;
                }
            }
        }
        Mutation::Insert(i, bytes) => {
            let at = i.index(buf.len() + 1);
            buf.splice(at..at, bytes.iter().copied());
        }
        Mutation::Remove(i, n) => {
            let at = i.index(buf.len());
            let end = (at + n).min(buf.len());
            buf.drain(at..end);
        }
    }
}

/// `depth` ARRAY, MAP and ROW values nested in each other around `leaf`.
fn nest(leaf: Model, kinds: &[u8]) -> Model {
    kinds.iter().fold(leaf, |inner, k| match k % 3 {
        0 => Model::Array(vec![inner]),
        1 => Model::Map(vec![(Model::Int(1), inner)]),
        _ => Model::Row(vec![("f".to_string(), inner)]),
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_decode_or_fail_cleanly(buf in vec(any::<u8>(), 0..256)) {
        decode(&buf);
    }

    /// Bytes that mostly look like frames: a valid header and then arbitrary field bytes, so that
    /// the field decoding (not only the header) meets garbage.
    #[test]
    fn arbitrary_fields_decode_or_fail_cleanly(
        kind in 0u8..=3,
        count in 0u16..8,
        fields in vec(any::<u8>(), 0..128),
    ) {
        let mut buf = vec![kind, 0, 0, 0, 0];
        buf.extend_from_slice(&count.to_le_bytes());
        buf.extend_from_slice(&fields);
        decode(&buf);
    }

    #[test]
    fn valid_frames_decode_to_what_was_written(frames in vec(frame(), 0..5)) {
        let (buf, _) = write_all(&frames);
        let (decoded, error) = decode(&buf);
        prop_assert_eq!(error, None);
        prop_assert_eq!(decoded, frames);
    }

    /// A buffer cut anywhere decodes the frames before the cut and then fails, unless the cut is
    /// between frames.
    #[test]
    fn truncated_buffers_keep_the_whole_frames(
        frames in vec(frame(), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let (buf, ends) = write_all(&frames);
        let cut = cut.index(buf.len());
        let whole = ends.iter().filter(|e| **e <= cut).count();
        let (decoded, error) = decode(&buf[..cut]);
        prop_assert_eq!(&decoded[..], &frames[..whole]);
        prop_assert_eq!(error.is_some(), !ends.contains(&cut) && cut > 0);
    }

    #[test]
    fn mutated_frames_decode_or_fail_cleanly(
        frames in vec(frame(), 1..4),
        mutations in vec(mutation(), 1..4),
    ) {
        let (mut buf, _) = write_all(&frames);
        for m in &mutations {
            mutate(&mut buf, m);
        }
        decode(&buf);
    }

    /// Nesting up to MAX_DEPTH levels decodes; one more is refused.
    #[test]
    fn nesting_depth_is_bounded(leaf in scalar(), kinds in vec(any::<u8>(), 0..=MAX_DEPTH + 3)) {
        let row = ModelFrame::Row {
            kind: crate::encode::frame::RowKind::Insert,
            table: 1,
            fields: vec![nest(leaf, &kinds)],
        };
        let (buf, _) = write_all(std::slice::from_ref(&row));
        let (decoded, error) = decode(&buf);
        if kinds.len() <= MAX_DEPTH {
            prop_assert_eq!(error, None);
            prop_assert_eq!(decoded, vec![row]);
        } else {
            let error = error.expect("too deep");
            prop_assert!(error.contains("nest deeper"), "{}", error);
        }
    }
}
