#!/usr/bin/env python3
"""Writes the seed corpora under corpus/<fuzzer>/ (run from anywhere; rewrites them all,
or only the targets named on the command line).

Each seed spells one input in the byte layout its fuzzer reads (see the fuzzer's header
comment and input.h: little-endian integers, "sized" strings as a length byte then bytes),
built from the spec's golden values so that fuzzing starts at meaningful IDs and statuses.
"""

import hashlib
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ray_equiv::IdKind order, with each type's size.
KINDS = [
    ("unique", 28), ("function", 28), ("actor_class", 28), ("worker", 28), ("config", 28),
    ("node", 28), ("cluster", 28), ("job", 4), ("actor", 16), ("task", 24), ("object", 28),
    ("placement_group", 18), ("lease", 32),
]

FF = b"\xff"


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def u64(v):
    return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)


def sized(b):
    assert len(b) < 256
    return bytes([len(b)]) + b


def job(v):
    return u32(v)


def driver_task(j):
    return FF * 20 + j


def unique_bytes(j, parent, counter, extra, n):
    data = j + parent + u64(counter) + (u64(extra) if extra else b"")
    return hashlib.sha256(data).digest()[:n]


def normal_task(j, parent, counter):
    return unique_bytes(j, parent, counter, 0, 8) + FF * 12 + j


def actor_at(j, parent, counter, time):
    return unique_bytes(j, parent, counter, time, 12) + j


J1, J199 = job(1), job(199)
ACTOR = actor_at(J1, driver_task(J1), 1, 1)
# Golden values of the spec (§2.5): cross-check the composition above.
assert normal_task(J1, driver_task(J1), 0).hex() == (
    "d9dbfdfdf1d18bb5ffffffffffffffffffffffff01000000")
assert ACTOR.hex() == "23863bae5dd5f85e8ff836de01000000"

SAMPLES = {
    "job": [J1, J199, FF * 4, b"\0" * 4],
    "actor": [ACTOR, FF * 12 + J1, FF * 16],
    "task": [driver_task(J1), normal_task(J199, driver_task(J199), 0), FF * 8 + ACTOR, FF * 24],
    "object": [normal_task(J199, driver_task(J199), 0) + u32(1), FF * 8 + ACTOR + u32(1),
               FF * 28],
    "placement_group": [bytes(range(14)) + J1, FF * 18],
    "lease": [u32(7) + J1 + FF * 24, FF * 32],
}


def sample(kind, size):
    return SAMPLES.get(kind, [J1 + FF * 24, b"\0" * 28, FF * 28, bytes(range(28))])


def id_bytes():
    seeds = []
    # A few kinds carry the invalid-input seeds; mutations move them to the other kinds.
    detailed = {"unique", "worker", "job", "actor", "task", "object", "lease"}
    for k, (kind, size) in enumerate(KINDS):
        samples = sample(kind, size)
        for binary in samples:
            seeds.append(bytes([k, 0]) + binary)
        seeds.append(bytes([k, 2]) + samples[0].hex().upper().encode())
        seeds.append(bytes([k, 4]) + J1)  # nil, random
        if kind not in detailed:
            continue
        seeds.append(bytes([k, 1]))  # empty: nil
        seeds.append(bytes([k, 1]) + b"\x01" * (size + 1))  # wrong size: fatal
        seeds.append(bytes([k, 2]) + b"0x" + b"ab" * (size - 1))  # right length, bad chars
        seeds.append(bytes([k, 2]) + b"ab" * size + b"0")  # wrong length
        seeds.append(bytes([k, 3 | (2 << 5)]) + bytes(range(2 * size)))  # hex-shaped
    return seeds


def derivation(shape, shape2, job_int, task=b"", actor=b"", obj=b"", worker=b"", pg=b"",
               lease=b"", counter=0, attempt=0, index=1, time=1, length=12):
    out = bytes([shape, shape2]) + u32(job_int)
    if (shape >> 1) & 3 in (0, 3):
        out += task
    if (shape >> 3) & 3 in (0, 3):
        out += actor
    out += obj
    if not shape & 0x40:
        out += worker
    if not shape & 0x80:
        out += pg
    out += lease + u64(counter)
    out += bytes([attempt]) if shape2 & 1 else u64(attempt)
    out += bytes([index]) if shape2 & 2 else u32(index)
    out += bytes([time]) if shape2 & 4 else u64(time)
    return out + bytes([length])


def id_derivation():
    w = J1 + FF * 24
    pg = bytes(range(14)) + J1
    lease = u32(3) + w
    obj = bytes(range(28))
    seeds = [
        # Fuzzed task/actor bytes, then the golden driver-task scenario.
        derivation(0, 0x18, 1, driver_task(J1), ACTOR, obj, w, pg, lease, 1, 256, 1, 1, 12),
        derivation(0, 0x18, 199, normal_task(J199, driver_task(J199), 0), ACTOR, obj, w, pg,
                   lease, 0, 2**64 - 1, 1, 1700000000000000000, 12),
        # Driver task, nil-from-job actor, driver worker, nil placement group.
        derivation(2 | 8 | 0x40 | 0x80, 0x1F, 1, obj=obj, lease=lease, attempt=1, index=0,
                   time=1, length=32),
        # Nil job, nil task, nil actor: the fatal JobId paths.
        derivation(1 | 4 | 16, 0x10, 0xFFFFFFFF, obj=FF * 28, worker=FF * 28, pg=FF * 18,
                   lease=FF * 32, length=33),
        # Actor-creation-shaped task and object, actor of nil unique bytes.
        derivation(6 | 0x18 | 0x20, 0x12, 7, task=ACTOR, actor=J199, obj=ACTOR + u32(1),
                   worker=w, pg=pg, lease=lease, counter=2**63, index=2, length=39),
        derivation(0, 0, 0, b"\0" * 24, b"\0" * 16, b"\0" * 28, b"\0" * 28, b"\0" * 18,
                   b"\0" * 32, 0, 0, 0xFFFFFFFF, 0, 0),
    ]
    return seeds


def murmur():
    seeds = []
    for data in [b"", b"abc", J199, b"12345678", b"123456789", bytes(range(15)), bytes(range(16)),
                 bytes(range(17)), FF * 28, bytes(range(200))]:
        for seed, align, cut in [(0, 0, 0), (0x9747B28C, 3, 5), (0xFFFFFFFF, 7, 9)]:
            seeds.append(u32(seed) + bytes([align, cut]) + data)
    return seeds


# Status factory indices: ray_equiv adapter order (32 named, then RpcError, then OK()).
RPC_ERROR_FACTORY, OK_FACTORY = 32, 33


def status(mode, code, msg, factory=None, rpc=None, loc=None, appends=(), chained=False,
           text=b""):
    flags = (1 if factory is not None else 0) | (2 if rpc is not None else 0) | (
        4 if loc is not None else 0) | (8 if chained else 0)
    out = bytes([mode, flags])
    if factory is not None:
        out += bytes([factory])
    out += bytes([code & 0xFF]) + sized(msg) + u32(rpc if rpc is not None else -1)
    file, line = loc if loc is not None else (b"", 0)
    out += sized(file) + u32(line) + bytes([len(appends)])
    for kind, atext, bits in appends:
        out += bytes([kind]) + sized(atext) + u64(bits)
    return out + text


CODE_NAMES = [b"OK", b"Out of memory", b"Key error", b"Type error", b"Invalid", b"IOError",
              b"Unknown error", b"NotImplemented", b"RpcError", b"GcsPassive", b"Unknown", b"",
              b"KeyError", b"AuthError", b"ok"]


def status_seeds():
    seeds = [
        status(0, 2, b"key not found", text=b"Key error"),
        status(1, 4, b"", text=b"Invalid"),
        status(2, 30, b"connection refused", rpc=14, text=b"RpcError"),
        status(0, 5, b"disk", loc=(b"src/foo.cc", 123), text=b"IOError"),
        status(0, 30, b"m", rpc=2, loc=(b"f.cc", 1)),
        status(0, 6, b"gap", text=b"Unknown"),
        status(2, 0, b"m", text=b"OK"),
        status(0, 4, b"a", appends=[(0, b"b", 0), (8, b"", 3)]),
        status(0, -1, b"\xff\xfe\x00bytes", loc=(b"x", 0), appends=[(2, b"", 0x41)],
               chained=True),
        status(3, 127, b"\xc3\x28 not utf-8", rpc=-5, loc=(b"", 7)),
        status(0, 38, b"passive", factory=31),
        status(2, 0, b"rpc", factory=RPC_ERROR_FACTORY, rpc=2**31 - 1),
        status(3, 0, b"", factory=OK_FACTORY, appends=[(0, b"x", 0)]),
    ]
    for kind in range(0, 15, 3):
        appends = [(k, b"file.cc", 0x8000000000000081) for k in range(kind, kind + 3)]
        seeds.append(status(0, 9, b"t", appends=appends))
    for i, name in enumerate(CODE_NAMES):
        seeds.append(status(0, i, b"", factory=i * 2, text=name))
    return seeds


def program(*ops):
    return bytes([0]) + b"".join(bytes(op) for op in ops)


def status_or_seeds():
    v = lambda slot, text: [0, slot] + [len(text)] + list(text)
    e = lambda slot, kind, text: [1, slot, kind, len(text)] + list(text)
    seeds = [
        program(v(0, b"value"), [6, 0], e(1, 0, b"not found"), [6, 1], [7, 3], [2, 3], [7, 3]),
        program(v(0, b"x"), [8, 0, 1], [8, 0, 0], [9, 0, 1], [10, 0], [11, 0], [6, 0]),
        program(e(0, 4, b"rpc"), [4, 0], [5, 3], [3, 1], [6, 0], [6, 1], [13, 0], [16, 0]),
        program(v(0, b""), [12, 0, 3, 100, 102, 108], [14, 0, 1, 200], [14, 0, 0, 5, 1, 65],
                [15, 0, 3, 97], [17, 0], [18, 1], [19, 0], [20, 1], [21, 0, 1], [21, 0, 0, 2, 0],
                [22, 0, 1, 33], [23, 0]),
        program(e(2, 5, b"\xff\x00"), [6, 2], [7, 8], [12, 2, 0], [17, 2], [16, 2], [20, 2]),
        bytes([0x80, 9, 3]) + b"err" + u32(7),
        bytes([0x81, 0, 0]) + u32(0),
        bytes([0x80, 0xFF, 0]) + u32(-1),
    ]
    return seeds


# Scheduling programs (scheduling_adapter_body.inc): each step is an op byte, an operand
# byte, then the op's arguments. Quantities are a selector byte and its argument.


def q_int(v):
    return [0, v & 0xFF]


def q_quarters(v):
    return [1, v & 0xFF]


def q_special(i):
    return [4, i]


def small(v):
    """SmallQuantity of the integer v (-1 <= v <= 7)."""
    return [((v + 1) << 1) | 1]


# SetName: an index below 128 into its table, or a generated name.
SET_NAMES = {"CPU": 0, "GPU": 1, "memory": 2, "TPU": 4, "custom": 5, "": 6,
             "CPU_group_ab12": 8, "GPU_group_0_ab12": 9, "implicit": 11, "node:10.0.0.1": 14}


def set_map(entries):
    out = [len(entries)]
    for name, quantity in entries:
        out += [SET_NAMES[name]] + quantity
    return out


def resource_set_seeds():
    a = set_map([("CPU", q_int(4)), ("GPU", q_quarters(6)), ("implicit", q_int(1))])
    b = set_map([("CPU", q_int(1)), ("custom", q_special(8)), ("", q_int(-2))])
    huge = set_map([("memory", q_special(11)), ("CPU", q_special(12)), ("TPU", q_special(15))])
    seeds = [
        bytes([0, 0] + a + [1, 1] + b + [7, 0 + 3 * 1 + 9 * 2, 8, 1 + 3 * 0 + 9 * 2, 11, 0 + 3,
                                          12, 2, 9, 0 + 3, 10, 1, 12, 0, 12, 1]),
        bytes([2, 0] + a + [3, 1] + b + [13, 0, 0] + set_map([("CPU", q_int(8)), ("implicit", q_int(0))])
              + [16, 0, 17, 1, 19, 0, 20, 0, 14, 0, SET_NAMES["GPU"]] + q_int(-3) + [20, 0]),
        bytes([0, 0] + huge + [9, 0, 9, 0, 9, 0, 7, 0 + 9, 12, 0, 6, 0, 1, 12, 0]),
        bytes([4, 0, SET_NAMES["CPU"]] + q_special(9) + [4, 1, SET_NAMES["CPU"]] + q_special(10)
              + [5, 0, SET_NAMES["CPU"], 11, 3, 21, 0, 22, 3, 23, 0, SET_NAMES["CPU"], 20, 0]),
        bytes([13, 0, 1] + set_map([("implicit", q_int(3)), ("GPU", q_int(2))])
              + [13, 0x20, 2] + set_map([("implicit", q_int(1)), ("GPU", q_int(2))])
              + [18, 0x20, 20, 0, 20, 0x20]),
    ]
    return seeds


# InstanceName: an even selector and a plain-name index, or an odd one and a
# placement-group byte (original | group << 2 | index << 3; selector 7 allows oversized).
PLAIN = {"CPU": 0, "GPU": 1, "memory": 2, "TPU": 3, "custom": 4, "implicit": 7}
PG_ORIGINAL = {"CPU": 0, "GPU": 1, "memory": 2, "custom": 3}


def plain(name):
    return [0, PLAIN[name]]


def pg(original, group, index):
    return [7 if index >= 5 else 1, PG_ORIGINAL[original] | group << 2 | index << 3]


def pg_byte(original, group, index):
    return PG_ORIGINAL[original] | group << 2 | index << 3


def instances(*values):
    out = [len(values)]
    for v in values:
        out += [1] + small(v)
    return out


def node_total(entries):
    out = [0, 0, len(entries)]
    for name, v in entries:
        out += name + small(v)
    return out


def demand(shape, plains, first, b, pg_values):
    out = [7, 0, shape, len(plains)]
    for name, v in plains:
        out += [PLAIN[name], 1] + small(v)
    out += [first, b]
    for v in pg_values:
        out += [1] + small(v)
    return out


def instance_set_seeds():
    total = node_total([(plain("GPU"), 4), (plain("CPU"), 7), (pg("CPU", 0, 0), 4),
                        (pg("CPU", 0, 1), 4), (pg("GPU", 0, 0), 2), (pg("GPU", 0, 2), 2)])
    seeds = [
        # Plain, wildcard, indexed-and-wildcard demands, then give the last one back.
        bytes(total + demand(0, [("GPU", 2), ("CPU", 1)], 0, 0, []) + [10, 0]
              + demand(1, [], pg_byte("CPU", 0, 0), 0, [2]) + [10, 0]
              + demand(2, [("CPU", 1)], pg_byte("GPU", 0, 2), 0, [1, 1]) + [8, 0, 10, 0]),
        # Both-fatal shapes: two wildcards, and a bundle larger than its wildcard.
        bytes(total + demand(3, [], pg_byte("CPU", 0, 0), 0, [1, 1])),
        bytes(total + [1, 0] + pg("GPU", 0, 0) + instances(0, 0) + demand(2, [], pg_byte("GPU", 0, 2), 0, [1, 1])),
        # Set, Add, Free, Subtract both ways, Remove, and an oversized bundle index.
        bytes([1, 0] + plain("GPU") + instances(1, 1, 0) + [4, 0] + plain("GPU") + instances(0, 0, 1, 1)
              + [5, 0] + plain("GPU") + instances(1, 0, 0, 0) + [1, 1, 0]
              + [6, 0] + plain("GPU") + instances(2, 2, 2, 2) + [0, 0]
              + [6, 0] + plain("GPU") + instances(2, 2, 2, 2) + [1, 0]
              + [2, 0] + plain("GPU") + [3, 0] + plain("GPU") + [2, 0] + plain("implicit")
              + [1, 0] + pg("CPU", 1, 5) + instances(3) + [10, 0]
              + [7, 0, 6, pg_byte("CPU", 1, 0)] + [1] + small(1) + [11, 2, 9, 2]),
        # Fatal paths: Set of no instances, Add of an implicit resource.
        bytes([1, 0] + plain("CPU") + [0]),
        bytes([4, 0] + plain("implicit") + instances(1)),
        # A unit-instance resource below one unit in a node's total.
        bytes(node_total([(plain("GPU"), 0), (plain("CPU"), 2)])),
    ]
    return seeds


# TokenString: a count byte, then token indices below 104 (or 255 and a raw byte).
TOKENS = {"CPU": 0, "GPU": 1, "_group_": 3, "_": 4, "0": 5, "1": 6, "ab12": 11,
          "2147483648": 15, "implicit": 17, "node:": 18, "TPU": 23}


def tokens(*names):
    return [len(names)] + [TOKENS[n] for n in names]


def ids_seeds():
    pg_cpu = tokens("CPU", "_group_", "ab12")
    pg_indexed = tokens("GPU", "_group_", "1", "_", "ab12")
    seeds = [
        bytes([0, 0] + tokens("CPU") + [0, 0, 0] + tokens("GPU") + [3, 0, 0] + tokens("TPU") + [3]
              + [1, 0] + tokens("CPU") + [0] + [0] * 8 + [3, 0]),
        bytes([2, 0] + tokens("CPU") + [1, 0] + [2, 0] + tokens("GPU") + [1, 0]),
        bytes([4, 0] + pg_cpu + [4, 0] + pg_indexed + [4, 0] + tokens("implicit", "1")
              + [6, 0] + tokens("node:", "1") + [5, 0, 1, 2, 7, 0, 0] + [0xFF] * 8 + [10, 0]),
        bytes([8, 0] + pg_cpu + [3, 8, 0] + pg_indexed + [2]
              + [8, 0] + tokens("GPU", "_group_", "2147483648", "_", "ab12") + [3]
              + [9, 0, 5] + list(b"a_b_c") + [1] + [8, 0] + pg_cpu + [0]),
        bytes([11, 0, 2, 0x43, 0x50, 11, 1, 0]),
    ]
    return seeds


def write(name, seeds):
    directory = os.path.join(HERE, "corpus", name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for i, seed in enumerate(seeds):
        with open(os.path.join(directory, "seed-%03d" % i), "wb") as f:
            f.write(seed)
    print("%-22s %3d seeds" % (name, len(seeds)))


GENERATORS = {
    "id_bytes_fuzzer": id_bytes,
    "id_derivation_fuzzer": id_derivation,
    "murmur_fuzzer": murmur,
    "status_fuzzer": status_seeds,
    "status_or_fuzzer": status_or_seeds,
    "resource_set_fuzzer": resource_set_seeds,
    "resource_instance_set_fuzzer": instance_set_seeds,
    "scheduling_ids_fuzzer": ids_seeds,
}

if __name__ == "__main__":
    # With target names, only those corpora are rewritten.
    for target in sys.argv[1:] or GENERATORS:
        write(target, GENERATORS[target]())
