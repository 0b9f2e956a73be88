#!/usr/bin/env bash
# Certificates: templates of every kind stamped by the real `hone stamp-pdf`
# (the code hone-fcgi serves with), checked by qpdf and poppler, and read
# back by `hone verify-pdf`.
#
# Templates: LibreOffice, Ghostscript and cairo files (tests/pdf/, made by
# tests/pdf/make-templates), hand-made odd ones (hybrid, inherited
# resources, an earlier update, a cross-reference stream), the theme's
# certificate, and `qpdf --object-streams=generate` and `--linearize`
# rewrites made here.  For each, with and without the visible line: qpdf
# --check is clean, pdfinfo shows the stamp, the template's bytes are a
# prefix, the pages render the same (but the foot of page 1 when visible),
# the new cross-reference section is of the template's kind, and
# verify-pdf says GENUINE.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for tool in qpdf pdfinfo pdftoppm; do
    if ! command -v "$tool" >/dev/null; then
        fail "$tool is not installed (make deps)"
        finish
        exit
    fi
done

KEY=$TMP/secret.key
head -c 32 /dev/urandom >"$KEY"
OTHER=$TMP/other.key
head -c 32 /dev/urandom >"$OTHER"
AT=2026-11-26T19:40:12Z
WHO=alice@example.com

tpl=$TMP/templates
out=$TMP/stamped
mkdir -p "$tpl" "$out"
cp tests/pdf/*.pdf "$tpl/"
cp themes/edge/certificates/certificate.pdf "$tpl/certificate.pdf"
for f in lo gs cairo certificate updated; do
    qpdf --object-streams=generate "$tpl/$f.pdf" "$tpl/$f-objstm.pdf"
done
qpdf --linearize "$tpl/lo.pdf" "$tpl/lo-linear.pdf"
qpdf --linearize --object-streams=generate "$tpl/gs.pdf" "$tpl/gs-linear-objstm.pdf"

stamp() { # TEMPLATE OUT [ARGS...]
    local t=$1 o=$2
    shift 2
    "$HONE" stamp-pdf "$t" -o "$o" --key "$KEY" "$@"
}

qpdf_clean() { # qpdf exits 0 when clean, 3 on warnings
    qpdf --check "$1" >"$TMP/qpdf.txt" 2>&1 || { cat "$TMP/qpdf.txt"; return 1; }
    ! grep -qi 'warning' "$TMP/qpdf.txt"
}

is_prefix() {
    local n
    n=$(stat -c %s "$1")
    [ "$(stat -c %s "$2")" -gt "$n" ] && cmp -n "$n" "$1" "$2"
}

shows_stamp() { # FILE RECIPIENT: pdfinfo -custom lists the three keys
    pdfinfo -custom "$1" >"$TMP/info.txt" 2>&1 || return 1
    grep -q "^HoneRecipient: *$2\$" "$TMP/info.txt" &&
        grep -q "^HoneDownloadedAt: *$AT\$" "$TMP/info.txt" &&
        grep -Eq '^HoneCertificateId: *[A-Za-z0-9_-]{43}$' "$TMP/info.txt" &&
        grep -q '^ModDate:' "$TMP/info.txt" || { cat "$TMP/info.txt"; return 1; }
}

keeps_info() { # TEMPLATE OUT: the template's own title (if any) is kept
    local want
    want=$(pdfinfo "$1" 2>/dev/null | grep '^Title:')
    [ -z "$want" ] || pdfinfo "$2" 2>/dev/null | grep -qxF "$want"
}

renders_same() { # TEMPLATE OUT plain|visible
    local a=$TMP/ra b=$TMP/rb
    rm -f "$a"-* "$b"-*
    pdftoppm -r 40 -gray -cropbox "$1" "$a" 2>/dev/null &&
        pdftoppm -r 40 -gray -cropbox "$2" "$b" 2>/dev/null || return 1
    local pages=0 p
    for p in "$a"-*.pgm; do
        pages=$((pages + 1))
        local q=$b-${p#"$a"-}
        [ -f "$q" ] || { echo "no page $q"; return 1; }
        if [ "$3" = visible ] && [ "$pages" -eq 1 ]; then
            /usr/bin/python3 tests/cli/pdfpixels.py "$p" "$q" foot 18 || return 1
        else
            /usr/bin/python3 tests/cli/pdfpixels.py "$p" "$q" same || return 1
        fi
    done
    [ "$pages" -gt 0 ] && [ "$(ls "$b"-*.pgm | wc -l)" -eq "$pages" ]
}

section_kind() { # TEMPLATE OUT: a table after a table, a stream after a stream
    local n want got
    n=$(stat -c %s "$1")
    case $(basename "$1" .pdf) in
    *objstm* | xrefstream) want=stream ;;
    *) want=table ;;
    esac
    if tail -c +$((n + 1)) "$2" | grep -aq '/Type /XRef'; then got=stream; else got=table; fi
    [ "$want" = "$got" ] || { echo "wanted a $want, the stamp has a $got"; return 1; }
}

verdict() { # WANT_STATUS WANT_WORD FILE [ARGS...]
    local want=$1 word=$2 f=$3
    shift 3
    "$HONE" verify-pdf "$f" "$@" >"$TMP/verify.txt" 2>&1
    local rc=$?
    [ "$rc" -eq "$want" ] && tail -n1 "$TMP/verify.txt" | grep -q "^$word" ||
        { echo "status $rc:"; cat "$TMP/verify.txt"; return 1; }
}

for t in "$tpl"/*.pdf; do
    name=$(basename "$t" .pdf)
    for mode in plain visible; do
        o=$out/$name-$mode.pdf
        args=(--to "$WHO" --at "$AT")
        [ "$mode" = visible ] && args+=(--visible)
        if ! stamp "$t" "$o" "${args[@]}" >"$TMP/stamp.txt" 2>&1; then
            fail "$name $mode: stamps" "$(cat "$TMP/stamp.txt")"
            continue
        fi
        ok "$name $mode: stamps"
        check "$name $mode: qpdf --check is clean" qpdf_clean "$o"
        check "$name $mode: the template is a prefix" is_prefix "$t" "$o"
        check "$name $mode: pdfinfo shows the stamp" shows_stamp "$o" "$WHO"
        check "$name $mode: the template's own information is kept" keeps_info "$t" "$o"
        check "$name $mode: pages render the same" renders_same "$t" "$o" "$mode"
        check "$name $mode: same kind of cross-reference section" section_kind "$t" "$o"
        check "$name $mode: verify-pdf says GENUINE" verdict 0 GENUINE "$o" --key "$KEY"
    done
done

# --- the id, the time and the recipient
p=$out/lo-plain.pdf
v=$out/lo-visible.pdf
o=$out/cairo-objstm-plain.pdf
check "the same download twice gives the same bytes" \
    bash -c "'$HONE' stamp-pdf '$tpl/lo.pdf' -o '$TMP/again.pdf' --key '$KEY' --to '$WHO' --at '$AT' && cmp '$TMP/again.pdf' '$p'"
stamp "$tpl/lo.pdf" "$TMP/later.pdf" --to "$WHO" --at 2026-11-26T19:40:13Z
id_of() { pdfinfo -custom "$1" | sed -n 's/^HoneCertificateId: *//p'; }
at_of() { pdfinfo -custom "$1" | sed -n 's/^HoneDownloadedAt: *//p'; }
check "a second later: another time" test "$(at_of "$TMP/later.pdf")" != "$(at_of "$p")"
check "a second later: another id" test "$(id_of "$TMP/later.pdf")" != "$(id_of "$p")"
check "a second later: still GENUINE" verdict 0 GENUINE "$TMP/later.pdf" --key "$KEY"
stamp "$tpl/lo.pdf" "$TMP/now1.pdf" --to "$WHO"
sleep 1
stamp "$tpl/lo.pdf" "$TMP/now2.pdf" --to "$WHO"
check "two downloads now: different ids" test "$(id_of "$TMP/now1.pdf")" != "$(id_of "$TMP/now2.pdf")"
check "two downloads now: different times" test "$(at_of "$TMP/now1.pdf")" != "$(at_of "$TMP/now2.pdf")"
check "verify-pdf prints recipient, time and id" \
    bash -c "'$HONE' verify-pdf '$p' --key '$KEY' | grep -q '$WHO' && '$HONE' verify-pdf '$p' --key '$KEY' | grep -q '$AT' && '$HONE' verify-pdf '$p' --key '$KEY' | grep -qF -- '$(id_of "$p")'"

uni='Zoë (ü) \\ 😀@exämple.com'
stamp "$tpl/gs.pdf" "$TMP/uni.pdf" --to "$uni" --at "$AT" --visible
check "non-ASCII recipient: pdfinfo reads it back" bash -c "pdfinfo -custom '$TMP/uni.pdf' | grep -qF 'HoneRecipient:   $uni'"
check "non-ASCII recipient: written as UTF-16 with a BOM" grep -aq '/HoneRecipient <FEFF' "$TMP/uni.pdf"
check "non-ASCII recipient: qpdf --check is clean" qpdf_clean "$TMP/uni.pdf"
check "non-ASCII recipient: GENUINE" verdict 0 GENUINE "$TMP/uni.pdf" --key "$KEY"
stamp "$tpl/gs.pdf" "$TMP/paren.pdf" --to 'a(b)\c)@x.org' --at "$AT" --visible
check "parentheses and backslash are escaped" grep -aqF '/HoneRecipient (a\(b\)\\c\)@x.org)' "$TMP/paren.pdf"
check "parentheses and backslash: GENUINE" verdict 0 GENUINE "$TMP/paren.pdf" --key "$KEY"
check "parentheses and backslash: qpdf --check is clean" qpdf_clean "$TMP/paren.pdf"

# --- forgeries: any changed byte, another key, another program
# edit FILE FROM TO [tail|head]: replaces bytes of the same length, in the
# stamp (tail) or in the template's part (head)
edit() {
    /usr/bin/python3 - "$@" <<'EOF'
import sys
path, old, new, where, size = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode(), sys.argv[4], int(sys.argv[5])
data = bytearray(open(path, "rb").read())
lo, hi = (size, len(data)) if where == "tail" else (0, size)
i = data.find(old, lo, hi)
assert i >= 0 and len(old) == len(new), "nothing to replace"
data[i:i + len(old)] = new
open(path, "wb").write(data)
EOF
}
size_lo=$(stat -c %s "$tpl/lo.pdf")
cp "$p" "$TMP/f1.pdf" && edit "$TMP/f1.pdf" alice@example.com mallo@example.com tail "$size_lo"
check "recipient changed in the stamp: FORGED" verdict 1 FORGED "$TMP/f1.pdf" --key "$KEY"
cp "$p" "$TMP/f2.pdf" && edit "$TMP/f2.pdf" 19:40:12 19:40:13 tail "$size_lo"
check "time changed in the stamp: FORGED" verdict 1 FORGED "$TMP/f2.pdf" --key "$KEY"
cp "$p" "$TMP/f3.pdf"
/usr/bin/python3 - "$TMP/f3.pdf" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.rfind(b"/HoneCertificateId (") + 20
d[i] = ord("B") if d[i] == ord("A") else ord("A")
open(sys.argv[1], "wb").write(d)
EOF
check "id changed: FORGED" verdict 1 FORGED "$TMP/f3.pdf" --key "$KEY"
cp "$p" "$TMP/f4.pdf" && edit "$TMP/f4.pdf" '%PDF-1.6' '%PDF-1.7' head "$size_lo"
check "a byte of the template changed: FORGED" verdict 1 FORGED "$TMP/f4.pdf" --key "$KEY"
cp "$v" "$TMP/f5.pdf" && edit "$TMP/f5.pdf" '(Issued to alice' '(Issued to mallo' tail "$size_lo"
check "the visible line changed: FORGED" verdict 1 FORGED "$TMP/f5.pdf" --key "$KEY"
check "another site's secret: FORGED" verdict 1 FORGED "$p" --key "$OTHER"
cp "$p" "$TMP/f6.pdf" && printf '%% appended\n' >>"$TMP/f6.pdf"
check "bytes appended after the stamp: FORGED" verdict 1 FORGED "$TMP/f6.pdf" --key "$KEY"
qpdf "$p" "$TMP/f7.pdf"
check "rewritten by another program: FORGED" verdict 1 FORGED "$TMP/f7.pdf" --key "$KEY"
head -c $(($(stat -c %s "$p") - 30)) "$p" >"$TMP/f8.pdf"
check "a stamped file cut short: FORGED" verdict 1 FORGED "$TMP/f8.pdf" --key "$KEY"
cp "$o" "$TMP/f9.pdf" && edit "$TMP/f9.pdf" alice@example.com alice@example.org tail "$(stat -c %s "$tpl/cairo-objstm.pdf")"
check "recipient changed (cross-reference stream): FORGED" verdict 1 FORGED "$TMP/f9.pdf" --key "$KEY"

# --- not stamped
check "a template: NOT STAMPED" verdict 2 "NOT STAMPED" "$tpl/lo.pdf" --key "$KEY"
check "an object-stream template: NOT STAMPED" verdict 2 "NOT STAMPED" "$tpl/lo-objstm.pdf" --key "$KEY"
head -c 3000 /dev/urandom >"$TMP/garbage.bin"
check "garbage: NOT STAMPED" verdict 2 "NOT STAMPED" "$TMP/garbage.bin" --key "$KEY"
: >"$TMP/empty.pdf"
check "an empty file: NOT STAMPED" verdict 2 "NOT STAMPED" "$TMP/empty.pdf" --key "$KEY"

# --- templates that are refused, each with a message saying why
refused() { # FILE PATTERN
    "$HONE" stamp-pdf "$1" -o "$TMP/refused.pdf" --to "$WHO" --key "$KEY" >"$TMP/r.txt" 2>&1
    local rc=$?
    [ "$rc" -eq 1 ] && grep -q "$2" "$TMP/r.txt" && [ ! -e "$TMP/refused.pdf" ] ||
        { echo "status $rc:"; cat "$TMP/r.txt"; return 1; }
}
check "garbage template refused: not a PDF" refused "$TMP/garbage.bin" "not a PDF"
check "empty template refused: not a PDF" refused "$TMP/empty.pdf" "not a PDF"
head -c $((size_lo / 2)) "$tpl/lo.pdf" >"$TMP/half.pdf"
check "truncated template refused" refused "$TMP/half.pdf" "truncated"
head -c $((size_lo - 40)) "$tpl/lo.pdf" >"$TMP/short.pdf"
check "template without its last bytes refused" refused "$TMP/short.pdf" "truncated"
qpdf --encrypt user owner 256 -- "$tpl/lo.pdf" "$TMP/enc.pdf"
check "encrypted template refused" refused "$TMP/enc.pdf" "encrypted"
qpdf --encrypt '' owner 128 --use-aes=y -- "$tpl/gs.pdf" "$TMP/enc2.pdf"
check "encrypted template (no user password) refused" refused "$TMP/enc2.pdf" "encrypted"
/usr/bin/python3 -c "
d=bytearray(open('$tpl/gs.pdf','rb').read()); i=d.rfind(b'startxref')
n=d[i+10:].split()[0]; d[i+10:i+10+len(n)]=str(int(n)+7).encode().rjust(len(n),b'0'); open('$TMP/badxref.pdf','wb').write(d)"
check "a wrong startxref refused" refused "$TMP/badxref.pdf" "cross-reference"
check "a missing template: a clear message" refused "$TMP/nope.pdf" "cannot open"

# --- the secret from site.yaml, and usage
site=$TMP/site
mkdir -p "$site/state"
printf 'title: t\nsignup:\n  secret_file: state/secret.key\n' >"$site/site.yaml"
cp "$KEY" "$site/state/secret.key"
check "verify-pdf -s reads signup.secret_file" verdict 0 GENUINE "$p" -s "$site"
(cd "$site" && "$HONE" verify-pdf "$p" >"$TMP/v.txt" 2>&1)
check "verify-pdf in the site folder needs no option" grep -q '^GENUINE' "$TMP/v.txt"
check "a missing secret: exit 3" verdict 3 "" "$p" --key "$TMP/nope.key"
usage_status() { "$HONE" verify-pdf "$@" >/dev/null 2>&1; [ $? -eq 4 ]; }
check "verify-pdf without a file: exit 4" usage_status
check "verify-pdf with an unknown option: exit 4" usage_status "$p" --frobnicate
check "a control character in the recipient is refused" \
    bash -c "! '$HONE' stamp-pdf '$tpl/lo.pdf' -o '$TMP/x.pdf' --key '$KEY' --to \$'a\\nb@x'"

finish
