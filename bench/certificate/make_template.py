#!/usr/bin/python3
"""Writes a one-page certificate PDF of about SIZE bytes, for the benchmark.

    make_template.py SIZE OUT

The page says what it is; the size comes from an image XObject of
incompressible bytes that the page lists in its resources (as a template
with a photograph or a scanned signature would).  The information
dictionary's /Subject holds the placeholder 0000-00-00T00:00:00Z, which
the Django peer replaces with the time (same length, so the
cross-reference table stays right).  A classic cross-reference table; the
same seed gives the same bytes.
"""
import random
import sys

PLACEHOLDER = b"0000-00-00T00:00:00Z"


def build(size):
    rnd = random.Random(size)
    content = (b"BT /F1 36 Tf 120 380 Td (Certificate of membership) Tj ET\n"
               b"BT /F1 14 Tf 120 340 Td (bench/certificate template) Tj ET\n")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        None,  # the image, sized below
        b"<< /Title (Bench certificate) /Producer (bench/certificate/make_template.py) "
        b"/Subject (Downloaded " + PLACEHOLDER + b") >>",
    ]

    def render(img_bytes):
        width = 256
        height = max(1, img_bytes // (width * 3))
        data = rnd.randbytes(width * height * 3)
        objs[5] = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                   b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d >>\nstream\n"
                   % (width, height, len(data)) + data + b"\nendstream")
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offs = []
        for i, o in enumerate(objs, 1):
            offs.append(len(out))
            out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        for off in offs:
            out += b"%010d 00000 n \n" % off
        out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                % (len(objs) + 1, xref))
        return bytes(out)

    # the image's dictionary grows with its numbers: measure, then size it
    first = render(768)
    return render(max(768, size - (len(first) - 768)))


if __name__ == "__main__":
    size, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "wb") as f:
        f.write(build(size))
