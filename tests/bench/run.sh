#!/usr/bin/env bash
# Compares the gateway with a tuned nginx reverse proxy and with the bare upstream,
# all on 127.0.0.1, driving each with the same wrk load. Prints median requests/s and
# latency over several interleaved rounds, the gateway/nginx and gateway/direct ratios,
# and the gateway's resident memory before and after the load.
#
# Settings (environment):
#   BENCH_THREADS=2  BENCH_CONNECTIONS=64  BENCH_DURATION=15s   wrk load, the same for every target
#   BENCH_WARMUP=5s        length of the warm-up run per target
#   BENCH_ROUNDS=3         rounds; each runs every target once, medians are reported
#   BENCH_GATEWAY_CONFIG   declarative file for the gateway instead of bench.yaml
#                          (@UPSTREAM_PORT@ in it is replaced by the upstream's port)
#   BENCH_FAKE_GATEWAY=1   put a second nginx proxy in the gateway slot; checks the harness
#                          itself without building or running the gateway
#   BENCH_BASELINE=REV     also run the gateway built from git revision REV as target "baseline"
#                          (and, with the rate-limiting variants, "baseline-rl-local" and
#                          "baseline-rl-redis"), to measure a change before and after in the same run
#   BENCH_RATELIMIT=0      skip the rate-limiting variants (on by default): key-auth plus
#                          rate-limiting with the local policy (gw-rl-local) and with the redis
#                          policy (gw-rl-redis, on a redis-server started here); wrk sends the key
#   BENCH_UPSTREAM=python  the upstream is Python's standard-library HTTP server (an HTTP/1.0 server that
#                          closes each connection, as a Flask development server) instead of nginx: with
#                          BENCH_CONNECTIONS=16 BENCH_DURATION=6s, the flaky-upstream comparison (the
#                          errors column counts what failed through nginx and through the gateway)
#   BENCH_ROUTES=0         skip the unmatched-request variants (on by default): wrk asks for a path
#                          no route matches, of a gateway with 100 routes (10 of them regexes,
#                          gw-404-100) and of one with 10,000 routes (1,000 regexes, gw-404-10k)
#
# Note: everything shares this machine's cores, wrk included; compare ratios, not absolutes.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
duration=${BENCH_DURATION:-15s}
warmup=${BENCH_WARMUP:-5s}
rounds=${BENCH_ROUNDS:-3}
gateway_config=${BENCH_GATEWAY_CONFIG:-$here/bench.yaml}

targets=()                 # benchmark targets, in run order
declare -A target_url      # target -> URL wrk drives
declare -A target_header   # target -> request header wrk sends, if any
declare -A gateway_pid     # gateway target -> process id (for memory readings)
declare -A idle_rss        # gateway target -> RSS in MB before load
nginx_dirs=()              # directories of started nginx instances, for cleanup
used_ports=" "
upstream_port=""           # the upstream nginx's port, which every proxy forwards to
nginx_port=""
wrk_pid=""                 # the wrk run in progress, if any
redis_dir=""               # the redis-server started for the redis variant, if any
python_pid=""              # the Python upstream, if any

work="$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")"
# nginx workers may run as another user when started as root.
chmod 755 "$work"
results="$work/results"

log() { echo "bench: $*" >&2; }
fail() { log "$*"; exit 1; }

cleanup() {
    local dir pid
    if [[ -n $wrk_pid ]]; then
        kill "$wrk_pid" 2>/dev/null || true
    fi
    for dir in "${nginx_dirs[@]}"; do
        if [[ -f $dir/nginx.pid ]]; then
            kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
        fi
    done
    if [[ -n $python_pid ]]; then
        kill "$python_pid" 2>/dev/null || true
    fi
    if [[ -n $redis_dir && -f $redis_dir/redis.pid ]]; then
        kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true
    fi
    for pid in "${gateway_pid[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Debian keeps nginx in sbin, which a non-root PATH may lack.
find_program() {
    command -v "$1" 2>/dev/null || { [[ -x /usr/sbin/$1 ]] && echo "/usr/sbin/$1"; } ||
        fail "$1 not found; install it with: apt-get install $1"
}

# Sets the variable named $1 to a loopback port nothing listens on. Ports stay below
# Linux's ephemeral range so wrk's own client sockets never take them.
allocate_port() {
    local candidate
    while true; do
        candidate=$((20000 + RANDOM % 12000))
        [[ $used_ports == *" $candidate "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            used_ports+="$candidate "
            printf -v "$1" '%s' "$candidate"
            return
        fi
    done
}

# Copies template $1 to $2, replacing each @KEY@ given as KEY=value.
render() {
    local template=$1 out=$2 pair
    shift 2
    local expressions=()
    for pair in "$@"; do
        expressions+=(-e "s|@${pair%%=*}@|${pair#*=}|g")
    done
    sed "${expressions[@]}" "$template" >"$out"
}

# Prints the HTTP status of GET http://127.0.0.1:$1$2, or nothing when there is no answer.
http_status() (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    read -r -t 5 _ status _ <&3 || true
    echo "${status:-}"
) 2>/dev/null

# Waits up to $3 seconds for GET 127.0.0.1:$1$2 to answer 200. With $4 (a pid), stops
# waiting as soon as that process has exited.
wait_ready() {
    local port=$1 path=$2 timeout=$3 pid=${4:-}
    local deadline=$((SECONDS + timeout))
    until [[ "$(http_status "$port" "$path")" == 200 ]]; do
        if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
            log "process $pid exited before 127.0.0.1:$port$path answered 200"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            log "127.0.0.1:$port$path did not answer 200 within ${timeout}s"
            return 1
        fi
        sleep 0.2
    done
}

# Starts an nginx from template $2 in its own directory, listening on port $3.
start_nginx() {
    local name=$1 template=$2 port=$3 upstream_port=${4:-}
    local dir="$work/$name"
    mkdir -p "$dir"
    nginx_dirs+=("$dir")
    render "$template" "$dir/nginx.conf" DIR="$dir" PORT="$port" UPSTREAM_PORT="$upstream_port"
    "$nginx" -p "$dir" -c "$dir/nginx.conf" || fail "nginx '$name' did not start"
    wait_ready "$port" / 10 || fail "nginx '$name' is not answering; see its config above"
}

# add_target NAME URL [HEADER]: HEADER ("Name: value") is sent with every request to that target.
add_target() {
    targets+=("$1")
    target_url[$1]=$2
    target_header[$1]=${3:-}
}

rss_mb() {
    awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Publishes the gateway from source tree $1 (default: this one) into $work/$2 (default: gw).
publish_gateway() {
    local source=${1:-$repo_root} out=${2:-gw}
    log "publishing the gateway from $source (Release)"
    # A private artifacts folder keeps this build apart from the working tree's bin/ and obj/.
    TOLLGATE_ARTIFACTS="$work/artifacts-$out" dotnet publish "$source/proxy/Gateway.Proxy.csproj" -c Release -o "$work/$out" --nologo -v quiet >"$work/publish-$out.log" 2>&1 ||
        { cat "$work/publish-$out.log" >&2; fail "dotnet publish failed"; }
}

# Publishes the gateway of git revision $1 into $work/baseline.
publish_baseline() {
    local source="$work/baseline-src"
    mkdir -p "$source"
    git -C "$repo_root" archive "$1" | tar -x -C "$source" || fail "cannot read git revision '$1'"
    publish_gateway "$source" baseline
}

# Starts the published gateway as target $1 with declarative file $2 (DB-less).
# More variants (other configs or settings) can be added by calling this again with a new name.
# Optional: $3 a header wrk sends ("Name: value"), $4 extra KEY=value pairs for the config template,
# $5 a GATEWAY_REDIS connection string, $6 the published build to run (default: gw), $7 the path wrk asks for.
start_gateway() {
    local name=$1 config=$2 header=${3:-} pairs=${4:-} redis=${5:-} build=${6:-gw} path=${7:-/}
    local dir="$work/$name" proxy_port admin_port status_port
    mkdir -p "$dir/cache"
    allocate_port proxy_port
    allocate_port admin_port
    allocate_port status_port
    # shellcheck disable=SC2086 # pairs is a list of words
    render "$config" "$dir/gateway.yaml" UPSTREAM_PORT="$upstream_port" $pairs

    GATEWAY_REDIS="$redis" \
        GATEWAY_DATABASE=off \
        GATEWAY_DECLARATIVE_CONFIG="$dir/gateway.yaml" \
        GATEWAY_PROXY_LISTEN="127.0.0.1:$proxy_port" \
        GATEWAY_ADMIN_LISTEN="127.0.0.1:$admin_port" \
        GATEWAY_STATUS_LISTEN="127.0.0.1:$status_port" \
        GATEWAY_CACHE_DIR="$dir/cache" \
        dotnet "$work/$build/Gateway.Proxy.dll" serve >"$dir/gateway.log" 2>&1 &
    gateway_pid[$name]=$!

    log "waiting for gateway '$name' to be ready"
    if ! wait_ready "$status_port" /readyz 60 "${gateway_pid[$name]}"; then
        log "last lines of $dir/gateway.log:"
        tail -n 50 "$dir/gateway.log" >&2
        fail "gateway '$name' did not become ready"
    fi
    add_target "$name" "http://127.0.0.1:$proxy_port$path" "$header"
}

# Writes a declarative file with $2 routes on one service, $3 of them regex paths, into $1: the
# configuration of a large installation, for measuring what an unmatched request costs.
write_routes_config() {
    local out=$1 total=$2 regexes=$3 i
    {
        echo '_format_version: "3.0"'
        echo 'services:'
        echo '- name: many'
        echo '  url: http://127.0.0.1:@UPSTREAM_PORT@'
        echo '  routes:'
        for ((i = 0; i < total; i++)); do
            if ((i < regexes)); then
                printf "  - name: r%d\n    paths: ['~/api%d/v[0-9]/(?<id>\\d+)$']\n" "$i" "$i"
            else
                printf '  - name: r%d\n    paths: ["/svc%d/items"]\n' "$i" "$i"
            fi
        done
    } >"$out"
}

# Starts a throwaway redis-server (no persistence) on a free port; sets redis_port.
start_redis() {
    local server
    server=$(find_program redis-server)
    redis_dir="$work/redis"
    mkdir -p "$redis_dir"
    allocate_port redis_port
    "$server" --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" ||
        fail "redis-server did not start"
    local deadline=$((SECONDS + 10))
    until [[ "$( (exec 3<>"/dev/tcp/127.0.0.1/$redis_port" && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 && echo "$reply") 2>/dev/null)" == +PONG* ]]; do
        ((SECONDS < deadline)) || fail "redis-server is not answering on port $redis_port"
        sleep 0.1
    done
}

# The upstream as Python's http.server on $upstream_port, serving one small page.
start_python_upstream() {
    local python dir="$work/python"
    python=$(find_program python3)
    mkdir -p "$dir"
    echo "hello" >"$dir/index.html"
    "$python" -m http.server "$upstream_port" --bind 127.0.0.1 --directory "$dir" >"$dir/server.log" 2>&1 &
    python_pid=$!
    wait_ready "$upstream_port" / 10 "$python_pid" || fail "the Python upstream is not answering"
}

# Harness self-check: an nginx proxy stands in for the gateway; its master process is measured.
start_fake_gateway() {
    local name=$1 port
    allocate_port port
    start_nginx "$name" "$here/proxy.nginx.conf" "$port" "$upstream_port"
    gateway_pid[$name]=$(cat "$work/$name/nginx.pid")
    add_target "$name" "http://127.0.0.1:$port/"
}

# Prints "requests/s p50-ms p99-ms errors" from wrk --latency output in file $1.
# wrk prints times as e.g. 812.00us, 1.52ms, 2.01s, 1.00m; errors are non-2xx/3xx answers plus socket errors.
parse_wrk() {
    awk '
        function ms(value,    unit) {
            unit = value
            sub(/^[0-9.]+/, "", unit)
            if (unit == "us") return value / 1000
            if (unit == "ms") return value + 0
            if (unit == "s") return value * 1000
            if (unit == "m") return value * 60000
            if (unit == "h") return value * 3600000
            return -1
        }
        /^ +50% / { p50 = ms($2) }
        /^ +99% / { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { for (i = 4; i <= NF; i += 2) errors += $i }
        END {
            if (rps == "" || p50 == "" || p99 == "") exit 1
            printf "%s %.3f %.3f %d\n", rps, p50, p99, errors
        }' "$1"
}

# Runs wrk against target $1 for duration $2 and appends "round target rps p50 p99 errors" to the results.
measure() {
    local target=$1 length=$2 round=$3 out="$work/wrk.$1.$3.txt"
    local header=()
    [[ -n ${target_header[$target]} ]] && header=(-H "${target_header[$target]}")
    # In the background so that a signal interrupts the wait and the cleanup stops wrk at once.
    wrk -t"$threads" -c"$connections" -d"$length" --latency "${header[@]}" "${target_url[$target]}" >"$out" &
    wrk_pid=$!
    wait "$wrk_pid" || fail "wrk failed against $target"
    wrk_pid=""
    [[ $round == warmup ]] && return
    local parsed
    parsed=$(parse_wrk "$out") || { cat "$out" >&2; fail "could not read wrk's output for $target"; }
    echo "$round $target $parsed" >>"$results"
}

# Median of column $2 (3 = rps, 4 = p50, 5 = p99) over the rounds of target $1.
median() {
    awk -v target="$1" -v column="$2" '$2 == target { print $column }' "$results" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

total_errors() {
    awk -v target="$1" '$2 == target { sum += $6 } END { print sum + 0 }' "$results"
}

# Target $1's requests/s over target $2's (default: nginx) in each round, in round order: measured minutes apart
# at most, these show how much of a difference between medians is the machine's drift.
round_ratios() {
    awk -v target="$1" -v other="${2:-nginx}" '
        $2 == other { theirs[$1] = $3 }
        $2 == target { mine[$1] = $3 }
        END { for (r = 1; r in mine; r++) if (r in theirs) printf "%s%.2f", (r > 1 ? " " : ""), mine[r] / theirs[r] }' "$results"
}

report() {
    echo
    echo "wrk -t$threads -c$connections -d$duration, median of $rounds round(s)"
    printf '%-14s %12s %10s %10s %8s\n' target requests/s p50-ms p99-ms errors
    local target
    for target in "${targets[@]}"; do
        printf '%-14s %12.0f %10.3f %10.3f %8d\n' "$target" \
            "$(median "$target" 3)" "$(median "$target" 4)" "$(median "$target" 5)" "$(total_errors "$target")"
    done
    echo
    for target in "${targets[@]}"; do
        [[ -n ${gateway_pid[$target]:-} ]] || continue
        printf '%s/nginx requests/s:  %.2f (per round: %s)\n' "$target" \
            "$(awk -v a="$(median "$target" 3)" -v b="$(median nginx 3)" 'BEGIN { print a / b }')" "$(round_ratios "$target")"
        printf '%s/direct requests/s: %.2f\n' "$target" "$(awk -v a="$(median "$target" 3)" -v b="$(median direct 3)" 'BEGIN { print a / b }')"
        printf '%s RSS: %s MB idle, %s MB after load\n' "$target" "${idle_rss[$target]}" "$(rss_mb "${gateway_pid[$target]}")"
    done
    local variant mine theirs
    for variant in gateway:baseline gw-rl-local:baseline-rl-local gw-rl-redis:baseline-rl-redis; do
        mine=${variant%%:*} theirs=${variant#*:}
        [[ -n ${target_url[$theirs]:-} ]] || continue
        printf '%s/%s requests/s: %.2f (per round: %s; baseline: %s)\n' "$mine" "$theirs" \
            "$(awk -v a="$(median "$mine" 3)" -v b="$(median "$theirs" 3)" 'BEGIN { print a / b }')" \
            "$(round_ratios "$mine" "$theirs")" "$BENCH_BASELINE"
    done
    if [[ -n ${target_url[gw-404-10k]:-} ]]; then
        printf 'gw-404-10k/gw-404-100 requests/s: %.2f (per round: %s; unmatched requests, 10,000 routes against 100)\n' \
            "$(awk -v a="$(median gw-404-10k 3)" -v b="$(median gw-404-100 3)" 'BEGIN { print a / b }')" \
            "$(round_ratios gw-404-10k gw-404-100)"
    fi
    if [[ -n ${target_url[gw-rl-redis]:-} && -n ${target_url[gw-rl-local]:-} ]]; then
        printf 'gw-rl-redis - gw-rl-local p50: %+.3f ms\n' \
            "$(awk -v a="$(median gw-rl-redis 4)" -v b="$(median gw-rl-local 4)" 'BEGIN { print a - b }')"
    fi
}

main() {
    nginx=$(find_program nginx)
    find_program wrk >/dev/null
    [[ ${BENCH_RATELIMIT:-1} == 0 || ${BENCH_FAKE_GATEWAY:-} == 1 ]] || find_program redis-server >/dev/null
    [[ ${BENCH_FAKE_GATEWAY:-} == 1 ]] || find_program dotnet >/dev/null
    [[ -f $gateway_config ]] || fail "no such gateway config: $gateway_config"

    allocate_port upstream_port
    allocate_port nginx_port
    if [[ ${BENCH_UPSTREAM:-nginx} == python ]]; then
        start_python_upstream
    else
        start_nginx upstream "$here/upstream.nginx.conf" "$upstream_port"
    fi
    start_nginx nginx "$here/proxy.nginx.conf" "$nginx_port" "$upstream_port"
    add_target direct "http://127.0.0.1:$upstream_port/"
    add_target nginx "http://127.0.0.1:$nginx_port/"

    if [[ ${BENCH_FAKE_GATEWAY:-} == 1 ]]; then
        log "BENCH_FAKE_GATEWAY=1: an nginx proxy stands in for the gateway"
        start_fake_gateway gateway
    else
        publish_gateway
        start_gateway gateway "$gateway_config"
        if [[ -n ${BENCH_BASELINE:-} ]]; then
            publish_baseline "$BENCH_BASELINE"
            start_gateway baseline "$gateway_config" "" "" "" baseline
        fi
        if [[ ${BENCH_RATELIMIT:-1} != 0 ]]; then
            local key="apikey: bench-key-0123456789"
            start_gateway gw-rl-local "$here/bench-ratelimit.yaml" "$key" "POLICY=local"
            start_redis
            start_gateway gw-rl-redis "$here/bench-ratelimit.yaml" "$key" "POLICY=redis" "127.0.0.1:$redis_port"
            if [[ -n ${BENCH_BASELINE:-} ]]; then
                start_gateway baseline-rl-local "$here/bench-ratelimit.yaml" "$key" "POLICY=local" "" baseline
                start_gateway baseline-rl-redis "$here/bench-ratelimit.yaml" "$key" "POLICY=redis" "127.0.0.1:$redis_port" baseline
            fi
        fi
        if [[ ${BENCH_ROUTES:-1} != 0 ]]; then
            write_routes_config "$work/routes-100.yaml" 100 10
            write_routes_config "$work/routes-10k.yaml" 10000 1000
            start_gateway gw-404-100 "$work/routes-100.yaml" "" "" "" gw /nothing/here
            start_gateway gw-404-10k "$work/routes-10k.yaml" "" "" "" gw /nothing/here
        fi
    fi

    # Let startup work (JIT, first allocations) settle before reading idle memory.
    sleep 2
    local target round
    for target in "${!gateway_pid[@]}"; do
        idle_rss[$target]=$(rss_mb "${gateway_pid[$target]}")
    done

    for target in "${targets[@]}"; do
        log "warming up $target ($warmup)"
        measure "$target" "$warmup" warmup
    done
    for ((round = 1; round <= rounds; round++)); do
        for target in "${targets[@]}"; do
            log "round $round/$rounds: $target ($duration)"
            measure "$target" "$duration" "$round"
        done
    done

    report
}

main "$@"
