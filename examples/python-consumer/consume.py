#!/usr/bin/env python3
"""Reads Firebreak's incidents and incident events from Kafka and prints one line per record.

Firebreak writes Avro's single-object encoding: C3 01, the writer schema's 8-byte CRC-64-AVRO
fingerprint (little-endian), then the record in Avro binary. No schema registry: the writer
schema is found by its fingerprint among the .avsc files of schemas/avsc/.

Needs Debian's python3-avro and python3-confluent-kafka (or pip's avro and confluent-kafka).
"""

import argparse
import io
import json
import pathlib
import struct
import sys
import time

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaException

INCIDENTS = "firebreak.incidents"
INCIDENT_EVENTS = "firebreak.incident-events"
MARKER = b"\xc3\x01"
HEADER_LENGTH = len(MARKER) + 8

# CRC-64-AVRO, as the Avro specification defines the schema fingerprint.
_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY if _fp & 1 else 0)
    _TABLE.append(_fp)


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def canonical(schema, namespace=""):
    """The schema's Parsing Canonical Form (Avro specification), from its JSON.

    Written out here because python3-avro 1.11's own canonical_form keeps properties such as
    logicalType, so its fingerprints differ from those the Java writers put in the header.
    """
    if isinstance(schema, list):
        return [canonical(branch, namespace) for branch in schema]
    if isinstance(schema, str):
        if schema in PRIMITIVES or "." in schema or not namespace:
            return schema
        return f"{namespace}.{schema}"
    kind = schema["type"]
    if not isinstance(kind, str) or kind in PRIMITIVES:
        return canonical(kind, namespace)
    if kind == "array":
        return {"type": "array", "items": canonical(schema["items"], namespace)}
    if kind == "map":
        return {"type": "map", "values": canonical(schema["values"], namespace)}
    name = schema["name"]
    if "." not in name:
        namespace = schema.get("namespace", namespace)
        name = f"{namespace}.{name}" if namespace else name
    namespace = name.rpartition(".")[0]
    form = {"name": name, "type": "record" if kind == "error" else kind}
    if kind in ("record", "error"):
        form["fields"] = [{"name": field["name"], "type": canonical(field["type"], namespace)}
                          for field in schema["fields"]]
    elif kind == "enum":
        form["symbols"] = schema["symbols"]
    elif kind == "fixed":
        form["size"] = schema["size"]
    return form


def fingerprint(schema_json):
    """The CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form."""
    form = json.dumps(canonical(schema_json), separators=(",", ":"), ensure_ascii=False)
    fp = _EMPTY
    for byte in form.encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def load_schemas(avsc):
    """Every kept version of every record, by fingerprint."""
    schemas = {}
    for path in sorted(avsc.glob("*/v*.avsc")):
        text = path.read_text(encoding="utf-8")
        schemas[fingerprint(json.loads(text))] = (avro.schema.parse(text), path.relative_to(avsc))
    if not schemas:
        sys.exit(f"no .avsc files under {avsc}")
    return schemas


def decode(value, schemas):
    """The record in one value, read with the schema that wrote it."""
    if len(value) < HEADER_LENGTH or value[:2] != MARKER:
        raise ValueError("not Avro single-object encoding")
    (writer_fingerprint,) = struct.unpack("<Q", value[2:HEADER_LENGTH])
    if writer_fingerprint not in schemas:
        raise ValueError(f"schema fingerprint {writer_fingerprint:016x} is in no .avsc here: update schemas/avsc/")
    writer, _ = schemas[writer_fingerprint]
    decoder = avro.io.BinaryDecoder(io.BytesIO(value[HEADER_LENGTH:]))
    return avro.io.DatumReader(writer, writer).read(decoder)


def line(topic, record):
    """One line per record, the same as the Java example prints."""
    if topic == INCIDENTS:
        return (f"{topic} {record['id']} version={record['version']} status={record['status']} "
                f"severity={record['severity']} title={record['title']}")
    incident = record["incident"]
    return (f"{topic} {record['incidentId']} sequence={record['sequence']} type={record['type']} "
            f"status={incident['status']} severity={incident['severity']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="localhost:9092", help="Kafka bootstrap servers")
    parser.add_argument("--group", default="firebreak-example-python", help="consumer group (offsets not committed)")
    parser.add_argument("--max-records", type=int, default=0, help="stop after this many records (0: no limit)")
    parser.add_argument("--idle-timeout", type=float, default=0,
                        help="stop after this many seconds without a record (0: never)")
    parser.add_argument("--avsc", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parents[2] / "schemas" / "avsc",
                        help="the directory of .avsc files (default: the repository's schemas/avsc)")
    args = parser.parse_args()

    schemas = load_schemas(args.avsc)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        # incident-store writes in transactions: read only what it committed.
        "isolation.level": "read_committed",
    })
    consumer.subscribe([INCIDENTS, INCIDENT_EVENTS])
    count = 0
    last_record = time.monotonic()
    try:
        while args.max_records == 0 or count < args.max_records:
            if args.idle_timeout and time.monotonic() - last_record > args.idle_timeout:
                break
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise KafkaException(message.error())
            last_record = time.monotonic()
            if message.value() is None:
                continue
            try:
                record = decode(message.value(), schemas)
            except (ValueError, EOFError, avro.errors.AvroException) as ex:
                print(f"skipped {message.topic()} offset {message.offset()}: {ex}", file=sys.stderr)
                continue
            print(line(message.topic(), record), flush=True)
            count += 1
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
