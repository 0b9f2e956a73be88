#!/usr/bin/python3
"""Writes small hand-made PDFs with the structures real templates have and
the common producers rarely make, into the folder given (default: .):

  inherited.pdf  /Resources (indirect) and /MediaBox inherited from /Pages,
                 a nested page tree with an empty first branch, /Contents as
                 a reference to an array, a content stream that leaves the
                 graphics state changed, our own font name already taken,
                 a /CropBox; no /Info and no /ID
  hybrid.pdf     a classic table plus /XRefStm (a "hybrid" file) whose
                 catalog, pages and /Info live in an object stream
  updated.pdf    a file with an incremental update already (/Prev), CRLF
                 line ends and comments
  xrefstream.pdf a cross-reference stream (FlateDecode, PNG predictor) without
                 object streams, /Rotate 90, /Length by reference,
                 /Resources and /Font by reference

Each passes `qpdf --check`; tests/cli/pdf.sh stamps them all.
"""
import os
import sys
import zlib

EOL = b"\n"


class PDF:
    def __init__(self, version=b"1.4"):
        self.b = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
        self.offs = {}

    def obj(self, num, body, gen=0):
        self.offs[num] = (len(self.b), gen)
        self.b += b"%d %d obj" % (num, gen) + EOL + body + EOL + b"endobj" + EOL

    def stream(self, num, data, extra=b"", length=None):
        ln = b"%d" % len(data) if length is None else length
        self.obj(num, b"<< /Length " + ln + b" " + extra + b" >>" + EOL + b"stream\n" + data +
                 b"\nendstream")

    def table(self, nums, free=(), eol=b" \n"):
        """A classic xref section for nums (sorted runs); free: numbers marked f."""
        start = len(self.b)
        nums = sorted(set(nums) | set(free))
        out = bytearray(b"xref\n")
        runs, run = [], []
        for n in nums:
            if run and n != run[-1] + 1:
                runs.append(run)
                run = []
            run.append(n)
        runs.append(run)
        for r in runs:
            out += b"%d %d\n" % (r[0], len(r))
            for n in r:
                if n == 0:
                    out += b"0000000000 65535 f" + eol
                elif n in free:
                    out += b"0000000000 00001 f" + eol
                else:
                    off, gen = self.offs[n]
                    out += b"%010d %05d n" % (off, gen) + eol
        self.b += out
        return start

    def trailer(self, dict_body, xref_at):
        self.b += b"trailer\n<< " + dict_body + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at


def inherited():
    p = PDF()
    p.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    p.obj(2, b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 400 300] "
             b"/Resources 9 0 R >>")
    p.obj(3, b"<< /Type /Pages /Kids [] /Count 0 /Parent 2 0 R >>")
    p.obj(4, b"<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 2 /Parent 2 0 R "
             b"/CropBox [10 10 390 290] >>")
    p.obj(5, b"<< /Type /Page /Parent 4 0 R /Contents 7 0 R >>")
    p.obj(6, b"<< /Type /Page /Parent 4 0 R /Contents 10 0 R >>")
    p.obj(7, b"[8 0 R 11 0 R]")
    p.stream(8, b"BT /HoneF1 24 Tf 40 200 Td (Inherited resources) Tj ET")
    # leaves a scaled CTM, a thick line and a colour behind, without q/Q
    p.stream(11, b"0.5 0 0 0.5 0 0 cm 0 0 1 RG 6 w 40 40 m 740 540 l S 1 0 0 rg")
    p.obj(9, b"<< /Font << /HoneF1 12 0 R >> /ProcSet [/PDF /Text] >>")
    p.stream(10, b"BT /HoneF1 12 Tf 40 200 Td (Page two) Tj ET")
    p.obj(12, b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>")
    x = p.table(range(0, 13))
    p.trailer(b"/Size 13 /Root 1 0 R", x)
    return p.b


def hybrid():
    p = PDF(b"1.5")
    p.stream(4, b"BT /F1 18 Tf 30 100 Td (Hybrid file) Tj ET")
    objs = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
            b"/Resources << /Font << /F1 8 0 R >> >> >>"),
        (7, b"<< /Title (Hybrid \\(test\\) file) /Producer (tests/pdf/odd.py) >>"),
    ]
    head, body = bytearray(), bytearray()
    for n, o in objs:
        head += b"%d %d " % (n, len(body))
        body += o + b"\n"
    first = len(head)
    p.stream(5, bytes(head) + bytes(body), b"/Type /ObjStm /N %d /First %d" % (len(objs), first))
    p.obj(8, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    rows = bytearray()
    for i in range(4):
        rows += bytes([2, 0, 5, i])
    stm_at = len(p.b)
    p.stream(6, bytes(rows), b"/Type /XRef /Size 9 /W [1 2 1] /Index [1 3 7 1]")
    x = p.table([0, 4, 5, 6, 8])  # objects in the stream are not in the table
    p.trailer(b"/Size 9 /Root 1 0 R /Info 7 0 R /XRefStm %d "
              b"/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]"
              % stm_at, x)
    return p.b


def updated():
    global EOL
    p = PDF(b"1.4")
    p.b += b"% a comment before the first object\n"
    p.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    p.obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    p.obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
             b"/Resources << /Font << /F1 5 0 R >> >> >>")
    p.stream(4, b"BT /F1 18 Tf 30 100 Td (First version) Tj ET")
    p.obj(5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")
    p.obj(6, b"<< /Title (Before the update) /Author (tests) >>")
    x1 = p.table(range(0, 7))
    p.trailer(b"/Size 7 /Root 1 0 R /Info 6 0 R /ID [(0123456789abcdef) (0123456789abcdef)]", x1)
    # the update: CRLF line ends, a new content stream for the page, new /Info
    EOL = b"\r\n"
    p.b += b"%% an incremental update\r\n"
    p.stream(7, b"BT /F1 18 Tf 30 100 Td (Second version) Tj ET")
    p.obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 7 0 R "
             b"/Resources << /Font << /F1 5 0 R >> >> >>")
    p.obj(6, b"<< /Title (After the update) /Author (tests) /HoneRecipient (not@real) >>")
    start = len(p.b)
    out = bytearray(b"xref\r\n0 1\r\n0000000000 65535 f\r\n3 1\r\n")
    out += b"%010d 00000 n\r\n" % p.offs[3][0]
    out += b"6 2\r\n"
    for n in (6, 7):
        out += b"%010d 00000 n\r\n" % p.offs[n][0]
    p.b += out
    p.b += (b"trailer\r\n<< /Size 8 /Root 1 0 R /Info 6 0 R /Prev %d "
            b"/ID [(0123456789abcdef) (fedcba9876543210)] >>\r\nstartxref\r\n%d\r\n%%%%EOF\r\n"
            % (x1, start))
    EOL = b"\n"
    return p.b


def xrefstream():
    p = PDF(b"1.5")
    p.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    p.obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Rotate 90 >>")
    p.obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
             b"/Resources 6 0 R >>")
    data = zlib.compress(b"BT /F1 18 Tf 30 100 Td (Rotated, compressed) Tj ET")
    p.stream(4, data, b"/Filter /FlateDecode", length=b"5 0 R")
    p.obj(5, b"%d" % len(data))
    p.obj(6, b"<< /Font 7 0 R >>")
    p.obj(7, b"<< /F1 8 0 R >>")
    p.obj(8, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    p.obj(9, b"<< /Title (Cross-reference stream) >>")
    xref_at = len(p.b)
    p.offs[10] = (xref_at, 0)
    rows = [bytes([0, 0, 0, 0xFF])]  # object 0: free, generation 65535 -> 0xFF here
    for n in range(1, 11):
        off, _ = p.offs[n]
        rows.append(bytes([1]) + off.to_bytes(2, "big") + b"\0")
    # PNG "Up" predictor, 4 columns
    enc, prev = bytearray(), bytes(4)
    for r in rows:
        enc += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(r, prev))
        prev = r
    z = zlib.compress(bytes(enc))
    p.obj(10, b"<< /Type /XRef /Size 11 /W [1 2 1] /Root 1 0 R /Info 9 0 R "
              b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> "
              b"/Length %d >>\nstream\n" % len(z) + z + b"\nendstream")
    p.b += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return p.b


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    for name, make in (("inherited", inherited), ("hybrid", hybrid), ("updated", updated),
                       ("xrefstream", xrefstream)):
        with open(os.path.join(out, name + ".pdf"), "wb") as f:
            f.write(make())
