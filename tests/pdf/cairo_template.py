#!/usr/bin/python3
"""A two-page test document drawn with python3-cairo: tests/pdf/cairo.pdf."""
import sys

import cairo

s = cairo.PDFSurface(sys.argv[1], 612, 792)
s.set_metadata(cairo.PDF_METADATA_TITLE, "cairo test template")
s.set_metadata(cairo.PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z")
c = cairo.Context(s)
c.set_source_rgb(0.95, 0.95, 0.9)
c.paint()
c.set_source_rgb(0.1, 0.1, 0.3)
c.select_font_face("DejaVu Serif", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_BOLD)
c.set_font_size(28)
c.move_to(72, 100)
c.show_text("Certificate of Testing")
c.set_line_width(3)
c.rectangle(50, 50, 512, 692)
c.stroke()
g = cairo.LinearGradient(0, 300, 0, 500)
g.add_color_stop_rgb(0, 0.8, 0.2, 0.2)
g.add_color_stop_rgb(1, 0.2, 0.2, 0.8)
c.set_source(g)
c.rectangle(150, 300, 312, 200)
c.fill()
c.show_page()
c.set_source_rgb(0, 0, 0)
c.move_to(72, 100)
c.show_text("Second page")
s.finish()
