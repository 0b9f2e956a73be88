#!/usr/bin/python3
"""Compares two renderings of a PDF page (binary PGM, as `pdftoppm -gray`).

    pdfpixels.py A.pgm B.pgm same
        the pages must be identical
    pdfpixels.py A.pgm B.pgm foot ROWS
        they may differ only in the bottom ROWS rows, and must differ there
        (the stamp's visible line)

Exits 0 when that holds, else 1 with a line saying where they differ.
"""
import sys


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5":
        sys.exit(f"{path}: not a binary PGM")
    w, h = int(fields[1]), int(fields[2])
    pix = data[pos + 1:pos + 1 + w * h]
    if len(pix) != w * h:
        sys.exit(f"{path}: truncated")
    return w, h, pix


def main():
    a, b, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    wa, ha, pa = read_pgm(a)
    wb, hb, pb = read_pgm(b)
    if (wa, ha) != (wb, hb):
        print(f"sizes differ: {wa}x{ha} and {wb}x{hb}")
        return 1
    rows = [y for y in range(ha) if pa[y * wa:(y + 1) * wa] != pb[y * wa:(y + 1) * wa]]
    if mode == "same":
        if rows:
            print(f"{len(rows)} rows differ, the first at row {rows[0]} of {ha}")
            return 1
        return 0
    foot = int(sys.argv[4])
    above = [y for y in rows if y < ha - foot]
    if above:
        print(f"rows above the foot differ: first at row {above[0]} of {ha} (foot: {foot} rows)")
        return 1
    if not rows:
        print("the foot is unchanged: no visible line")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
