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


def field(typ, text):
    if text is None:
        return b"\x00"
    t = typ.upper()
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
    if t.startswith("TIMESTAMP("):
        p = int(t[10:-1])
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
        "name": "nulls",
        "columns": [["i", "INT"], ["s", "STRING"], ["d", "DATE"]],
        "values": [None, None, None],
        "csv": "\\N\t\\N\t\\N\n",
        "json": '{"i":null,"s":null,"d":null}',
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
