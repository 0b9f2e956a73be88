# Helpers for the hone-fcgi suites (sourced after lib.sh): a small site,
# hone-fcgi on a unix socket and a private nginx on a free local port,
# configured from deploy/nginx-local.conf.in (the file `make run` uses).
# Everything lives under $TMP and is stopped by fcgi_cleanup (an EXIT trap).
FCGI=${FCGI:-$ROOT/${BIN:-bin}/hone-fcgi}
NGINX_PID=""
FCGI_PID=""

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# make_site DIR PORT [YAML LINES FOR signup:]: a site with the demo's landing
# and thanks pages, one post, the edge theme; built into DIR/public.
make_site() {
    local dir=$1 port=$2 extra=${3:-}
    mkdir -p "$dir/content/posts"
    ln -sfn "$ROOT/themes" "$dir/themes"
    {
        echo "base_url: http://127.0.0.1:$port/"
        echo "title: Test blog"
        echo "theme: edge"
        echo "landing: landing.md"
        echo "signup:"
        echo "  store: state/signups.db"
        echo "  secret_file: state/secret.key"
        [ -n "$extra" ] && printf '%s\n' "$extra"
    } >"$dir/site.yaml"
    cp "$ROOT/content/landing.md" "$ROOT/content/thanks.md" "$dir/content/"
    printf -- '---\ntitle: Members only hello\ndate: 2020-01-01\n---\nA post for the members.\n' \
        >"$dir/content/posts/2020-01-01-hello.md"
    "$HONE" build -s "$dir" -q
}

# start_fcgi DIR SOCKET LOG [ARGS...]: starts hone-fcgi and waits until it serves.
start_fcgi() {
    local dir=$1 sock=$2 log=$3
    shift 3
    "$FCGI" -s "$dir" --listen "$sock" --mode 0666 "$@" 2>>"$log" &
    FCGI_PID=$!
    for _ in $(seq 100); do
        if grep -q "hone-fcgi: serving" "$log" 2>/dev/null && [ -S "$sock" ]; then return 0; fi
        kill -0 "$FCGI_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

stop_fcgi() {
    [ -n "$FCGI_PID" ] || return 0
    kill -TERM "$FCGI_PID" 2>/dev/null
    wait "$FCGI_PID" 2>/dev/null
    FCGI_PID=""
}

# fcgi_conns: the connections hone-fcgi holds open, one socket inode a
# line, sorted; its listening socket left out.  Between requests these are
# the connections nginx keeps for the next ones (deploy/nginx-local.conf.in).
fcgi_conns() {
    /usr/bin/python3 - "$FCGI_PID" <<'PY'
import os, sys
pid = sys.argv[1]
listening = set()
with open("/proc/net/unix") as f:
    next(f)
    for line in f:
        v = line.split()
        if int(v[3], 16) & 0x10000:  # __SO_ACCEPTCON: a listening socket
            listening.add(v[6])
held = set()
for fd in os.listdir("/proc/%s/fd" % pid):
    try:
        t = os.readlink("/proc/%s/fd/%s" % (pid, fd))
    except OSError:
        continue
    if t.startswith("socket:["):
        held.add(t[8:-1])
print("\n".join(sorted(held - listening)))
PY
}

# start_nginx PREFIX PUBLIC PORT SOCKET
start_nginx() {
    local prefix=$1 public=$2 port=$3 sock=$4 user=""
    mkdir -p "$prefix/logs" "$prefix/tmp"
    if [ "$(id -u)" = 0 ]; then user="user root;"; fi
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@PUBLIC@|$public|g" -e "s|@PORT@|$port|g" \
        -e "s|@SOCKET@|$sock|g" -e "s|@USER@|$user|g" \
        "$ROOT/deploy/nginx-local.conf.in" >"$prefix/nginx.conf"
    nginx -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' 2>>"$prefix/logs/stderr.log" &
    NGINX_PID=$!
    for _ in $(seq 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/404.html"; then return 0; fi
        kill -0 "$NGINX_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

fcgi_cleanup() {
    if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; fi
    if [ -n "$FCGI_PID" ]; then kill -KILL "$FCGI_PID" 2>/dev/null; wait "$FCGI_PID" 2>/dev/null; fi
    rm -rf "$TMP"
}
trap fcgi_cleanup EXIT
