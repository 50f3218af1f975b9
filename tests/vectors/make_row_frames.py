#!/usr/bin/env python3
"""Writes row-frames.json: shared test vectors for the row-frame layout (rust-core/src/encode/frame.rs).

Each vector gives Flink column types, one row as text values, and the expected frame bytes, CSV row
(default separators) and JSON object. The Java side builds the row from the text values and must
produce exactly `frame_hex`; the Rust side decodes `frame_hex` and must produce `csv` and `json`.
This script is a third, independent writer of the layout. Run it after editing VECTORS.
"""
import datetime
import decimal

decimal.getcontext().prec = 60
import json
import os
import struct

KINDS = {"+I": 0, "-U": 1, "+U": 2, "-D": 3}
EPOCH = datetime.date(1970, 1, 1)


def split_top(inner):
    """Splits 'a INT, b MAP<STRING, INT>' at the commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def field(typ, text):
    """One field. Scalars are given as text; ARRAY values as lists, MAP values as lists of
    [key, value] pairs, ROW values as lists in field order."""
    if text is None:
        return b"\x00"
    t = typ.upper()
    if t.startswith("ARRAY<"):
        element = typ[6:-1]
        return b"\x0f" + struct.pack("<I", len(text)) + b"".join(field(element, x) for x in text)
    if t.startswith("MAP<"):
        key, value = split_top(typ[4:-1])
        out = b"\x10" + struct.pack("<I", len(text))
        for k, v in text:
            out += field(key, k) + field(value, v)
        return out
    if t.startswith("ROW<"):
        fields = [f.split(" ", 1) for f in split_top(typ[4:-1])]
        out = b"\x11" + struct.pack("<H", len(fields))
        for (name, ftype), v in zip(fields, text):
            n = name.encode("utf-8")
            out += struct.pack("<H", len(n)) + n + field(ftype, v)
        return out
    if t.startswith("TIME("):
        p = int(t[5:-1])
        hms, _, frac = text.partition(".")
        h, m, sec = (int(x) for x in hms.split(":"))
        millis = ((h * 60 + m) * 60 + sec) * 1000 + int((frac + "000")[:3])
        return b"\x0d" + bytes([p]) + struct.pack("<i", millis)
    if t.startswith(("BINARY", "VARBINARY", "BYTES")):
        b = bytes.fromhex(text)
        return b"\x0e" + struct.pack("<I", len(b)) + b
    if t == "BOOLEAN":
        return b"\x01" + bytes([1 if text == "true" else 0])
    if t == "TINYINT":
        return b"\x02" + struct.pack("<b", int(text))
    if t == "SMALLINT":
        return b"\x03" + struct.pack("<h", int(text))
    if t == "INT":
        return b"\x04" + struct.pack("<i", int(text))
    if t == "BIGINT":
        return b"\x05" + struct.pack("<q", int(text))
    if t == "FLOAT":
        return b"\x06" + struct.pack("<f", float(text))
    if t == "DOUBLE":
        return b"\x07" + struct.pack("<d", float(text))
    if t.startswith("DECIMAL("):
        p, s = (int(x) for x in t[8:-1].split(","))
        unscaled = int(decimal.Decimal(text).scaleb(s).to_integral_exact())
        if p <= 18:
            return b"\x08" + bytes([s]) + struct.pack("<q", unscaled)
        n = (unscaled.bit_length() + 8) // 8  # Java BigInteger.toByteArray length
        return b"\x09" + bytes([s, n]) + unscaled.to_bytes(n, "big", signed=True)
    if t.startswith(("CHAR", "VARCHAR", "STRING")):
        b = text.encode("utf-8")
        return b"\x0a" + struct.pack("<I", len(b)) + b
    if t == "DATE":
        days = (datetime.date.fromisoformat(text) - EPOCH).days
        return b"\x0b" + struct.pack("<i", days)
    if t.startswith(("TIMESTAMP(", "TIMESTAMP_LTZ(")):
        # TIMESTAMP_LTZ values are given as the wall-clock time in the vector's zone: the Java
        # shim converts instants to the session time zone before it writes the frame.
        p = int(t[t.index("(") + 1:-1])
        date, _, time = text.partition("T")
        hms, _, frac = time.partition(".")
        frac = (frac + "000000000")[:9]
        dt = datetime.datetime.fromisoformat(date + "T" + hms)
        secs = (dt - datetime.datetime(1970, 1, 1)).days * 86400 + (dt - datetime.datetime(1970, 1, 1)).seconds
        nanos = int(frac)
        millis = secs * 1000 + nanos // 1_000_000
        return b"\x0c" + bytes([p]) + struct.pack("<qi", millis, nanos % 1_000_000)
    raise ValueError("unsupported type " + typ)


def frame(kind, table, types, values):
    out = bytes([KINDS[kind]]) + struct.pack("<I", table) + struct.pack("<H", len(values))
    for typ, text in zip(types, values):
        out += field(typ, text)
    return out


VECTORS = [
    {
        "name": "integers and boolean",
        "columns": [["b", "BOOLEAN"], ["t", "TINYINT"], ["s", "SMALLINT"], ["i", "INT"], ["l", "BIGINT"]],
        "values": ["true", "-128", "32767", "-2147483648", "9223372036854775807"],
        "csv": "1\t-128\t32767\t-2147483648\t9223372036854775807\n",
        "json": '{"b":1,"t":-128,"s":32767,"i":-2147483648,"l":9223372036854775807}',
    },
    {
        "name": "floating point",
        "columns": [["f", "FLOAT"], ["d", "DOUBLE"], ["e", "DOUBLE"]],
        "values": ["1.5", "0.1", "1e300"],
        "csv": "1.5\t0.1\t1e300\n",
        "json": '{"f":1.5,"d":0.1,"e":1e300}',
    },
    {
        "name": "decimals compact and big",
        "columns": [["a", "DECIMAL(10,2)"], ["b", "DECIMAL(38,10)"], ["c", "DECIMAL(5,0)"], ["d", "DECIMAL(20,3)"]],
        "values": ["-123.45", "1234567890123456789012345678.0123456789", "42", "-0.005"],
        "csv": "-123.45\t1234567890123456789012345678.0123456789\t42\t-0.005\n",
        "json": '{"a":-123.45,"b":1234567890123456789012345678.0123456789,"c":42,"d":-0.005}',
    },
    {
        "name": "strings",
        "columns": [["c", "CHAR(3)"], ["v", "VARCHAR(20)"], ["s", "STRING"]],
        "values": ["abc", "h\u00e9llo \U0001F600", 'quote " back \\ slash'],
        "csv": "abc\th\u00e9llo \U0001F600\tquote \" back \\ slash\n",
        "json": '{"c":"abc","v":"h\u00e9llo \U0001F600","s":"quote \\" back \\\\ slash"}',
    },
    {
        "name": "dates and timestamps",
        "columns": [["d", "DATE"], ["t0", "TIMESTAMP(0)"], ["t3", "TIMESTAMP(3)"], ["t6", "TIMESTAMP(6)"], ["old", "DATE"]],
        "values": ["2020-02-29", "2020-01-02T03:04:05", "1969-12-31T23:59:59.999", "2024-06-30T12:00:00.123456", "0001-01-01"],
        "csv": "2020-02-29\t2020-01-02 03:04:05\t1969-12-31 23:59:59.999\t2024-06-30 12:00:00.123456\t0001-01-01\n",
        "json": '{"d":"2020-02-29","t0":"2020-01-02 03:04:05","t3":"1969-12-31 23:59:59.999","t6":"2024-06-30 12:00:00.123456","old":"0001-01-01"}',
    },
    {
        "name": "time and binary",
        "columns": [["t0", "TIME(0)"], ["t3", "TIME(3)"], ["b", "BYTES"], ["v", "VARBINARY(4)"], ["e", "BYTES"]],
        "values": ["23:59:59", "01:02:03.045", "00ff10", "cafe", ""],
        "csv": "23:59:59\t01:02:03.045\t00ff10\tcafe\t\n",
        "json": '{"t0":"23:59:59","t3":"01:02:03.045","b":"00ff10","v":"cafe","e":""}',
    },
    {
        "name": "varbinary columns travel as hex in a load column",
        "columns": [["id", "INT"], ["b", "BYTES", "hex"]],
        "values": ["1", "00ff"],
        "csv": "1\t00ff\n",
        "json": '{"id":1,"__sr_hex_b":"00ff"}',
        "csv_columns": "`id`,`__sr_hex_b`,`b`=hex_decode_binary(`__sr_hex_b`)",
        "json_columns": "`id`,`__sr_hex_b`,`b`=hex_decode_binary(`__sr_hex_b`)",
    },
    {
        "name": "local zoned timestamps in the session zone",
        "zone": "Asia/Shanghai",
        "instants": ["2020-01-01T00:00:00Z", "1999-12-31T16:00:00.123456Z"],
        "columns": [["a", "TIMESTAMP_LTZ(0)"], ["b", "TIMESTAMP_LTZ(6)"]],
        "values": ["2020-01-01T08:00:00", "2000-01-01T00:00:00.123456"],
        "csv": "2020-01-01 08:00:00\t2000-01-01 00:00:00.123456\n",
        "json": '{"a":"2020-01-01 08:00:00","b":"2000-01-01 00:00:00.123456"}',
    },
    {
        "name": "nested arrays, maps and rows as JSON",
        "columns": [
            ["a", "ARRAY<INT>"],
            ["s", "ARRAY<STRING>"],
            ["m", "MAP<STRING, DOUBLE>"],
            ["k", "MAP<INT, ARRAY<BOOLEAN>>"],
            ["r", "ROW<x INT, y ROW<d DATE, t TIMESTAMP(3)>, z DECIMAL(5,2)>"],
            ["e", "ARRAY<INT>"],
        ],
        "values": [
            ["1", None, "-3"],
            ["tab\there", "q\"uote", "\u00e9\U0001F600"],
            [["k1", "1.5"], ["k2", None]],
            [["7", ["true", "false", None]]],
            ["1", ["2020-02-29", "2020-01-02T03:04:05.006"], "-1.50"],
            [],
        ],
        "csv": '[1,null,-3]\t["tab\\there","q\\"uote","\u00e9\U0001F600"]\t{"k1":1.5,"k2":null}\t'
        '{"7":[true,false,null]}\t{"x":1,"y":{"d":"2020-02-29","t":"2020-01-02 03:04:05.006"},"z":-1.50}\t[]\n',
        "json": '{"a":[1,null,-3],"s":["tab\\there","q\\"uote","\u00e9\U0001F600"],"m":{"k1":1.5,"k2":null},'
        '"k":{"7":[true,false,null]},"r":{"x":1,"y":{"d":"2020-02-29","t":"2020-01-02 03:04:05.006"},"z":-1.50},"e":[]}',
    },
    {
        "name": "strings of JSON columns are embedded as JSON",
        "columns": [["j", "STRING", "json"], ["k", "STRING", "json"], ["s", "STRING"]],
        "values": [' {"a": [1, 2]} ', '"text"', '{"a":1}'],
        "csv": '{"a": [1, 2]}\t"text"\t{"a":1}\n',
        "json": '{"j":{"a": [1, 2]},"k":"text","s":"{\\"a\\":1}"}',
    },
    {
        "name": "nulls",
        "columns": [["i", "INT"], ["s", "STRING"], ["d", "DATE"]],
        "values": [None, None, None],
        "csv": "\\N\t\\N\t\\N\n",
        "json": '{"i":null,"s":null,"d":null}',
    },
    {
        "name": "values CSV cannot carry fail with the column named",
        "columns": [["id", "INT"], ["s", "STRING"]],
        "values": ["1", "a\tb"],
        "csv_error": "column 's': the value contains the CSV column separator",
        "json": '{"id":1,"s":"a\\tb"}',
    },
    {
        "name": "text that is not JSON fails for a JSON column",
        "columns": [["j", "STRING", "json"]],
        "values": ["{not json"],
        "csv_error": "column 'j': the value is not valid JSON for a JSON column",
        "json_error": "column 'j': the value is not valid JSON for a JSON column",
    },
]


def main():
    out = []
    for v in VECTORS:
        types = [c[1] for c in v["columns"]]
        f = frame("+I", 0, types, v["values"])
        out.append(dict(v, kind="+I", table=0, frame_hex=f.hex()))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "row-frames.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"frame_version": 1, "vectors": out}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
