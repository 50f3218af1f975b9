//! Count-only ingest of JSON bodies (`Ingest::CountOnly` without `json_root`), streamed: the
//! body is checked as it arrives with the grammar, errors and offsets of `json::load_json`
//! (`JsonReader::skip_value` on a partial reader), but no value is built and no row converted.
//! Each row `load_json` would hand to the sink (an object of the outer array or of the stream;
//! with `jsonpaths` any element of the outer array) is counted; what it rejects for its kind or
//! syntax is rejected with the same message and error-log text, and a syntax error ends the
//! walk, as there. Invalid UTF-8 anywhere makes the whole body one filtered row, as in
//! `load_json`, so the outcome is handed to the sink only once the body is complete.
//!
//! Only the unfinished element is kept between chunks (`pending`); it is walked again once
//! `pending` has doubled, so an element longer than a chunk costs linear time.

use crate::data::json::{
    after_array_error, array_parse_error, array_separator_error, document_not_an_object,
    element_not_an_object, not_an_array, parse_error, tail, utf8_error, ARRAY_NEEDS_STRIP,
    OBJECT_NEEDS_NO_STRIP,
};
use crate::data::json_value::{JsonKind, JsonReader};
use crate::data::sink::{RowSink, MAX_ERROR_LINES};
use crate::load::plan::JsonFormat;

/// The raw text kept for the invalid-UTF-8 error line (as `load_json`).
const HEAD_BYTES: usize = 200;

/// Where the walk is in the body (the states of `json::load_array` / `load_stream`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// `strip_outer_array`: before the outer array (or the single document that is not one).
    Start,
    /// Just after `[`.
    Open,
    /// After `[` and its whitespace, or just after `,`: an element (with the whitespace after
    /// a `,`, which `load_json` shows as part of the element).
    Element,
    /// After an element: `,` or `]`.
    Separator,
    /// After the outer array: only whitespace may follow.
    Trailer,
    /// `strip_outer_array: false`: the next document.
    Document,
    /// Done or stopped by an error: the rest is only checked for UTF-8.
    Stopped,
}

/// The streamed count of one JSON body (reset for the next body of a transaction).
pub struct JsonCounter {
    strip_outer_array: bool,
    jsonpaths: bool,
    step: Step,
    /// Body bytes not walked yet.
    pending: Vec<u8>,
    /// Body offset of `pending[0]`.
    offset: usize,
    /// Walk again once `pending` holds this many bytes.
    walk_at: usize,
    /// The first `HEAD_BYTES` of the body.
    head: Vec<u8>,
    /// Body offset of the first invalid UTF-8.
    invalid_utf8: Option<usize>,
    /// Rows counted (handed to the sink at `finish`).
    rows: u64,
    /// Rejected rows (reason, raw text), the first `MAX_ERROR_LINES`; then only counted.
    rejects: Vec<(String, String)>,
    unlogged: u64,
}

impl JsonCounter {
    pub fn new(opts: &JsonFormat) -> JsonCounter {
        let mut counter = JsonCounter {
            strip_outer_array: opts.strip_outer_array,
            jsonpaths: opts.jsonpaths.is_some(),
            step: Step::Stopped,
            pending: Vec::new(),
            offset: 0,
            walk_at: 0,
            head: Vec::new(),
            invalid_utf8: None,
            rows: 0,
            rejects: Vec::new(),
            unlogged: 0,
        };
        counter.reset();
        counter
    }

    /// Back to the start of a new body.
    pub fn reset(&mut self) {
        self.step = if self.strip_outer_array {
            Step::Start
        } else {
            Step::Document
        };
        self.pending.clear();
        self.offset = 0;
        self.walk_at = 0;
        self.head.clear();
        self.invalid_utf8 = None;
        self.rows = 0;
        self.rejects.clear();
        self.unlogged = 0;
    }

    /// The next piece of the body.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.head.len() < HEAD_BYTES {
            let n = chunk.len().min(HEAD_BYTES - self.head.len());
            self.head.extend_from_slice(&chunk[..n]);
        }
        if self.invalid_utf8.is_some() {
            return;
        }
        self.pending.extend_from_slice(chunk);
        if self.pending.len() >= self.walk_at || self.step == Step::Stopped {
            self.walk(false);
        }
    }

    /// The body is complete: walk the rest and hand the outcome to the sink.
    pub fn finish(&mut self, sink: &mut RowSink) {
        if self.invalid_utf8.is_none() {
            self.walk(true);
        }
        if let Some(at) = self.invalid_utf8 {
            sink.reject_json(&utf8_error(at), &String::from_utf8_lossy(&self.head));
        } else {
            sink.count_rows(self.rows);
            for (reason, raw) in &self.rejects {
                sink.reject_json(reason, raw);
            }
            sink.count_filtered(self.unlogged);
        }
        self.reset();
    }

    fn reject(&mut self, reason: String, raw: &str) {
        if self.rejects.len() < MAX_ERROR_LINES {
            self.rejects.push((reason, raw.to_string()));
        } else {
            self.unlogged += 1;
        }
    }

    /// Checks `pending` for UTF-8 (a character cut by its end waits for the next chunk, unless
    /// `last`) and walks its valid part; drops what is done with.
    fn walk(&mut self, last: bool) {
        let mut pending = std::mem::take(&mut self.pending);
        let text = match std::str::from_utf8(&pending) {
            Ok(text) => text,
            Err(e) if e.error_len().is_none() && !last => {
                std::str::from_utf8(&pending[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(e) => {
                self.invalid_utf8 = Some(self.offset + e.valid_up_to());
                return;
            }
        };
        let done = match self.step {
            // Only UTF-8 matters after the walk ended.
            Step::Stopped => text.len(),
            _ => {
                let done = self.walk_text(text, last);
                if self.step == Step::Stopped {
                    text.len()
                } else {
                    done
                }
            }
        };
        pending.drain(..done);
        self.offset += done;
        self.walk_at = 2 * pending.len();
        self.pending = pending;
    }

    /// Walks `text` (the valid UTF-8 of `pending`); returns how much of it is done with.
    fn walk_text(&mut self, text: &str, last: bool) -> usize {
        let mut reader = JsonReader::partial(text, self.offset, !last);
        loop {
            let done = reader.position();
            match self.step {
                Step::Stopped => return done,
                Step::Start | Step::Document | Step::Trailer if reader.at_end() => {
                    if last {
                        self.step = Step::Stopped;
                    }
                    return done;
                }
                Step::Open | Step::Separator if !last && reader.at_end() => return done,
                Step::Start => {
                    if reader.peek() == Some(b'[') {
                        reader.eat(b'[');
                        self.step = Step::Open;
                        continue;
                    }
                    let start = reader.position();
                    match reader.skip_value() {
                        Err(e) if e.incomplete => return done,
                        Ok(JsonKind::Object) => {
                            let raw = reader.slice(start, reader.position());
                            self.reject(OBJECT_NEEDS_NO_STRIP.to_string(), raw);
                        }
                        Ok(kind) => {
                            let raw = reader.slice(start, reader.position());
                            self.reject(not_an_array(kind), raw);
                        }
                        Err(e) => self.reject(array_parse_error(&e), &tail(&reader, start)),
                    }
                    self.step = Step::Stopped;
                }
                Step::Open => {
                    self.step = if reader.eat(b']') {
                        Step::Trailer
                    } else {
                        reader.skip_whitespace();
                        Step::Element
                    };
                }
                Step::Element => {
                    let start = reader.position();
                    match reader.skip_value() {
                        Err(e) if e.incomplete => return done,
                        Ok(kind) if kind == JsonKind::Object || self.jsonpaths => self.rows += 1,
                        Ok(kind) => {
                            let raw = reader.slice(start, reader.position());
                            self.reject(element_not_an_object(kind), raw);
                        }
                        Err(e) => {
                            self.reject(array_parse_error(&e), &tail(&reader, start));
                            self.step = Step::Stopped;
                            continue;
                        }
                    }
                    self.step = Step::Separator;
                }
                Step::Separator => {
                    if reader.eat(b',') {
                        self.step = Step::Element;
                    } else if reader.eat(b']') {
                        self.step = Step::Trailer;
                    } else {
                        let at = reader.position();
                        self.reject(array_separator_error(self.offset + at), &tail(&reader, at));
                        self.step = Step::Stopped;
                    }
                }
                Step::Trailer => {
                    let at = reader.position();
                    self.reject(after_array_error(self.offset + at), &tail(&reader, at));
                    self.step = Step::Stopped;
                }
                Step::Document => {
                    let start = reader.position();
                    match reader.skip_value() {
                        Err(e) if e.incomplete => return done,
                        Ok(JsonKind::Object) => self.rows += 1,
                        Ok(JsonKind::Array) => {
                            let raw = reader.slice(start, reader.position());
                            self.reject(ARRAY_NEEDS_STRIP.to_string(), raw);
                        }
                        Ok(kind) => {
                            let raw = reader.slice(start, reader.position());
                            self.reject(document_not_an_object(kind), raw);
                        }
                        Err(e) => {
                            self.reject(parse_error(&e), &tail(&reader, start));
                            self.step = Step::Stopped;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::data::json::load_json;
    use crate::data::sink::{Counters, Ingest};
    use crate::http::request::{BodyFraming, RequestHead};
    use crate::load::params::{early, plan_from_headers, HeaderFlavor};
    use crate::load::plan::{DataFormat, LoadPlan};
    use crate::storage::schema::{KeyModel, TableSchema, TableSpec};

    fn plan(headers: &str) -> LoadPlan {
        let head = format!("PUT /api/db/t/_stream_load HTTP/1.1\r\nformat: json{headers}");
        let head = RequestHead::parse(head.as_bytes()).expect("head");
        let early = early(&head, BodyFraming::Chunked, 10240).expect("early");
        let spec = TableSpec::new("db", "t", KeyModel::Duplicate)
            .column("id", "BIGINT", false)
            .column("name", "VARCHAR(4)", true);
        let schema = Arc::new(TableSchema::from_spec(&spec).expect("schema"));
        plan_from_headers(&head, &early, schema, HeaderFlavor::StreamLoad).expect("plan")
    }

    fn opts(plan: &LoadPlan) -> &JsonFormat {
        match &plan.format {
            DataFormat::Json(f) => f,
            DataFormat::Csv(_) => unreachable!(),
        }
    }

    type Outcome = (Counters, Vec<String>);

    /// What `load_json` makes of the body (count-only sink: rows counted, not converted).
    fn parsed(plan: &LoadPlan, body: &[u8]) -> Outcome {
        let mut sink = RowSink::new(plan, Ingest::CountOnly);
        load_json(body, opts(plan), &mut sink);
        (sink.counters(), sink.error_lines().to_vec())
    }

    fn counted<'a>(plan: &LoadPlan, chunks: impl Iterator<Item = &'a [u8]>) -> Outcome {
        let mut sink = RowSink::new(plan, Ingest::CountOnly);
        let mut counter = JsonCounter::new(opts(plan));
        for chunk in chunks {
            counter.feed(chunk);
        }
        counter.finish(&mut sink);
        (sink.counters(), sink.error_lines().to_vec())
    }

    /// The counter agrees with `load_json` however the body is cut into chunks.
    fn check(plan: &LoadPlan, body: &[u8]) {
        let expected = parsed(plan, body);
        let what = String::from_utf8_lossy(body);
        assert_eq!(counted(plan, std::iter::once(body)), expected, "{what}");
        for size in [1, 2, 3, 7] {
            assert_eq!(
                counted(plan, body.chunks(size)),
                expected,
                "{what} / {size}"
            );
        }
        for cut in 0..=body.len() {
            let (a, b) = body.split_at(cut);
            assert_eq!(
                counted(plan, [a, b].into_iter()),
                expected,
                "{what} @ {cut}"
            );
        }
    }

    const ARRAYS: &[&str] = &[
        r#"[{"id":1,"name":"a"},{"id":"x"},{"id":3,"n":[1,{"b":null}],"s":"]}\"\\"}]"#,
        r#"  [ {"id":-1.5e+3} ,{"id":true},{} ]  "#,
        r#"[]"#,
        r#"[ ]"#,
        r#""#,
        r#"   "#,
        r#"[{"id":1},2,"s",null,[3],false,{"id":6}]"#,
        r#"{"id":1}"#,
        r#"12"#,
        r#""text""#,
        r#"[{"id":1}] [2]"#,
        r#"[{"id":1} {"id":2}]"#,
        r#"[{"id":1},]"#,
        r#"[{"id":1}"#,
        r#"[{"id":1},"#,
        r#"["#,
        r#"[{"id":1,"name":"é\u00e9\ud83d\ude00"}]"#,
        r#"[{"id":1,"name":"\ud83dx"}]"#,
        r#"[{"id":1,"name":"\uZZZZ"}]"#,
        r#"[{"id":1,"name":"\q"}]"#,
        r#"[{"id":01}]"#,
        r#"[{"id":1.}]"#,
        r#"[{"id":-}]"#,
        r#"[{"id":tru}]"#,
        r#"[{"id":nulll}]"#,
        r#"[{"id" 1}]"#,
        r#"[{1:2}]"#,
        r#"[{"id":1,"name":"unterminated}]"#,
        "[{\"id\":1,\"name\":\"tab\there\"}]",
        r#"[{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]"#,
    ];

    const STREAMS: &[&str] = &[
        "{\"id\":1}\n{\"id\":2,\"name\":\"b\"}{\"id\":3}\n\r\n\t",
        r#"{"id":1} 5 "s" {"id":2} [{"id":3}] null 1.25"#,
        r#"{"id":1} {"id":2,}"#,
        r#"{"id":1} {"id""#,
        r#"{"id":1} 12"#,
        r#"{"id":1} -"#,
        r#"{"id":1} fals"#,
        r#"{"id":1} falsy"#,
        "",
    ];

    #[test]
    fn agrees_with_load_json_on_every_split() {
        let array = plan("\r\nstrip_outer_array: true");
        let paths = plan("\r\nstrip_outer_array: true\r\njsonpaths: [\"$.id\",\"$.name\"]");
        let stream = plan("");
        for body in ARRAYS {
            check(&array, body.as_bytes());
            check(&paths, body.as_bytes());
        }
        for body in STREAMS {
            check(&stream, body.as_bytes());
        }
        // Invalid UTF-8 anywhere (or a character cut by the end) is one filtered row.
        for body in [
            &b"[{\"id\":1},{\"name\":\"\xff\"}]"[..],
            b"[{\"id\":1},{\"id\":2}] \xe2\x82",
            b"[{\"id\":1},{\"id\":2}, x \xc3",
        ] {
            check(&array, body);
        }
        check(&stream, b"{\"id\":1}\n\xfe");
    }

    #[test]
    fn agrees_with_load_json_on_mangled_bodies() {
        let array = plan("\r\nstrip_outer_array: true");
        let stream = plan("");
        let seed = br#"[{"id":1,"name":"a\"b","v":[1.5,-2e3,true,null,{"k":"\u00e9"}]},{"id":2}]"#;
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[],:\"\\ 0-1.eEtfnul\xc3";
        for _ in 0..400 {
            let mut body = seed.to_vec();
            for _ in 0..1 + next() % 3 {
                let at = (next() % body.len() as u64) as usize;
                match next() % 3 {
                    0 => body[at] = alphabet[(next() % alphabet.len() as u64) as usize],
                    1 => {
                        body.remove(at);
                    }
                    _ => body.truncate(at),
                }
                if body.is_empty() {
                    break;
                }
            }
            let expected = parsed(&array, &body);
            for size in [1, 5, 64] {
                assert_eq!(
                    counted(&array, body.chunks(size)),
                    expected,
                    "{body:?} / {size}"
                );
            }
            let mut stream_body = body.get(1..).unwrap_or_default().to_vec();
            stream_body.retain(|&c| c != b']');
            let expected = parsed(&stream, &stream_body);
            for size in [1, 5, 64] {
                assert_eq!(
                    counted(&stream, stream_body.chunks(size)),
                    expected,
                    "{stream_body:?} / {size}"
                );
            }
        }
    }

    #[test]
    fn more_rejections_than_the_error_log_keeps_are_still_counted() {
        let array = plan("\r\nstrip_outer_array: true");
        let body = format!("[{}{{\"id\":1}}]", "7,".repeat(3 * MAX_ERROR_LINES));
        check(&array, body.as_bytes());
        let (counters, lines) = counted(&array, std::iter::once(body.as_bytes()));
        assert_eq!((counters.loaded, counters.filtered), (1, 150));
        assert_eq!(lines.len(), MAX_ERROR_LINES);
    }

    #[test]
    fn a_long_element_is_walked_in_linear_time() {
        let array = plan("\r\nstrip_outer_array: true");
        let long = format!(
            r#"[{{"id":1,"name":"{}"}},{{"id":2}}]"#,
            "x".repeat(4 << 20)
        );
        let started = std::time::Instant::now();
        let (counters, _) = counted(&array, long.as_bytes().chunks(16));
        assert_eq!(counters.loaded, 2);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
}
