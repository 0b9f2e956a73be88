#!/usr/bin/python3
"""Draws the edge theme's certificate template: one A4 landscape page.

    themes/edge/certificates/make-certificate.py [OUT.pdf]

hone-fcgi serves this file to members with a stamp appended (who
downloaded it and when, in the document information, and optionally the
line "Issued to ... on ..." at the foot of the page, under the frame: the
design leaves the bottom 30 points empty for it).  The result is
committed beside this script as certificate.pdf; run the script again
after changing the design and commit both.

Needs Debian's python3-cairo and fonts-urw-base35 (Ghostscript's fonts:
P052 is a Palatino, Z003 a Zapf Chancery).  cairo embeds only the glyphs
used, which keeps the file small.
"""
import math
import sys

import cairo

W, H = 842, 595  # A4 landscape, in points
INK = (0.12, 0.16, 0.24)
ACCENT = (0.04, 0.34, 0.82)  # the theme's --accent, #0b57d0
GOLD = (0.72, 0.56, 0.22)
MUTED = (0.37, 0.39, 0.41)
PAPER = (0.992, 0.984, 0.965)


def font(ctx, face, size, slant=cairo.FONT_SLANT_NORMAL, weight=cairo.FONT_WEIGHT_NORMAL):
    ctx.select_font_face(face, slant, weight)
    ctx.set_font_size(size)


def centred(ctx, text, y, tracking=0.0):
    """Draws text centred on the page with its baseline at y."""
    if tracking:
        widths = [ctx.text_extents(ch).x_advance for ch in text]
        total = sum(widths) + tracking * (len(text) - 1)
        x = (W - total) / 2
        for ch, w in zip(text, widths):
            ctx.move_to(x, y)
            ctx.show_text(ch)
            x += w + tracking
        return
    ext = ctx.text_extents(text)
    ctx.move_to((W - ext.x_advance) / 2, y)
    ctx.show_text(text)


def frame(ctx):
    ctx.set_source_rgb(*PAPER)
    ctx.paint()
    # outer rule, inner hairline, and a diamond at each corner
    ctx.set_source_rgb(*ACCENT)
    ctx.set_line_width(3)
    ctx.rectangle(34, 34, W - 68, H - 68)
    ctx.stroke()
    ctx.set_line_width(0.7)
    ctx.rectangle(42, 42, W - 84, H - 84)
    ctx.stroke()
    for x, y in ((42, 42), (W - 42, 42), (42, H - 42), (W - 42, H - 42)):
        ctx.move_to(x, y - 7)
        ctx.line_to(x + 7, y)
        ctx.line_to(x, y + 7)
        ctx.line_to(x - 7, y)
        ctx.close_path()
        ctx.set_source_rgb(*PAPER)
        ctx.fill_preserve()
        ctx.set_source_rgb(*ACCENT)
        ctx.set_line_width(1.2)
        ctx.stroke()


def flourish(ctx, y):
    """A short rule with a dot in the middle, under the title."""
    ctx.set_source_rgb(*GOLD)
    ctx.set_line_width(1)
    for side in (-1, 1):
        ctx.move_to(W / 2 + side * 12, y)
        ctx.line_to(W / 2 + side * 120, y)
        ctx.stroke()
    ctx.arc(W / 2, y, 3, 0, 2 * math.pi)
    ctx.fill()


def seal(ctx, cx, cy, r):
    """A rosette with the project's name around it."""
    ctx.save()
    ctx.translate(cx, cy)
    points = 36
    ctx.move_to(r, 0)
    for i in range(1, 2 * points + 1):
        a = math.pi * i / points
        rr = r if i % 2 == 0 else r * 0.9
        ctx.line_to(rr * math.cos(a), rr * math.sin(a))
    ctx.close_path()
    ctx.set_source_rgb(*GOLD)
    ctx.fill()
    ctx.set_source_rgb(*PAPER)
    ctx.set_line_width(1)
    ctx.arc(0, 0, r * 0.78, 0, 2 * math.pi)
    ctx.stroke()
    ctx.arc(0, 0, r * 0.56, 0, 2 * math.pi)
    ctx.stroke()
    # the name set on a circle, one letter at a time
    font(ctx, "P052", r * 0.17, weight=cairo.FONT_WEIGHT_BOLD)
    text = "THE HONE PROJECT \u00b7 MEMBER \u00b7 "
    step = 2 * math.pi / len(text)
    for i, ch in enumerate(text):
        a = -math.pi / 2 + i * step
        ctx.save()
        ctx.rotate(a + math.pi / 2)
        ext = ctx.text_extents(ch)
        ctx.move_to(-ext.x_advance / 2, -r * 0.61)
        ctx.show_text(ch)
        ctx.restore()
    font(ctx, "Z003", r * 0.62)
    ext = ctx.text_extents("h")
    ctx.move_to(-ext.x_advance / 2 - ext.x_bearing / 2, r * 0.17)
    ctx.show_text("h")
    ctx.restore()


def draw(path):
    surface = cairo.PDFSurface(path, W, H)
    surface.set_metadata(cairo.PDF_METADATA_TITLE, "hone membership certificate")
    surface.set_metadata(cairo.PDF_METADATA_AUTHOR, "The hone project")
    surface.set_metadata(cairo.PDF_METADATA_SUBJECT, "Awarded to every member of the hone site")
    surface.set_metadata(cairo.PDF_METADATA_CREATOR, "themes/edge/certificates/make-certificate.py")
    # a fixed date keeps the output the same from run to run
    surface.set_metadata(cairo.PDF_METADATA_CREATE_DATE, "2026-11-26T00:00:00Z")
    ctx = cairo.Context(surface)
    frame(ctx)

    ctx.set_source_rgb(*MUTED)
    font(ctx, "P052", 11, weight=cairo.FONT_WEIGHT_BOLD)
    centred(ctx, "THE HONE PROJECT", 112, tracking=4)

    ctx.set_source_rgb(*INK)
    font(ctx, "Z003", 58)
    centred(ctx, "Certificate of Membership", 180)
    flourish(ctx, 204)

    ctx.set_source_rgb(*MUTED)
    font(ctx, "P052", 15, slant=cairo.FONT_SLANT_ITALIC)
    centred(ctx, "This certifies that the holder of this document", 252)
    ctx.set_source_rgb(*INK)
    font(ctx, "P052", 26)
    centred(ctx, "signed up to follow hone", 292)
    ctx.set_source_rgb(*MUTED)
    font(ctx, "P052", 14)
    centred(ctx, "the blog compiler in C that builds a whole site in one step,", 330)
    centred(ctx, "serves it with the nginx you already run, and keeps its promises.", 350)

    # signature line on the left, date line on the right, seal between
    ctx.set_source_rgb(*INK)
    ctx.set_line_width(0.8)
    for x0 in (150, W - 330):
        ctx.move_to(x0, 470)
        ctx.line_to(x0 + 180, 470)
        ctx.stroke()
    font(ctx, "Z003", 24)
    ctx.move_to(172, 462)
    ctx.show_text("The hone project")
    font(ctx, "P052", 10)
    ctx.set_source_rgb(*MUTED)
    for x0, label in ((150, "FOR THE PROJECT"), (W - 330, "DATE OF ISSUE")):
        ext = ctx.text_extents(label)
        ctx.move_to(x0 + (180 - ext.x_advance) / 2, 485)
        ctx.show_text(label)
    font(ctx, "P052", 12, slant=cairo.FONT_SLANT_ITALIC)
    ctx.set_source_rgb(*INK)
    text = "the day it was downloaded"
    ext = ctx.text_extents(text)
    ctx.move_to(W - 330 + (180 - ext.x_advance) / 2, 462)
    ctx.show_text(text)
    seal(ctx, W / 2, 452, 52)

    surface.finish()


if __name__ == "__main__":
    draw(sys.argv[1] if len(sys.argv) > 1 else "certificate.pdf")
